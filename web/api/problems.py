"""Errors as RFC 9457 problem details (application/problem+json), mapped once for every API route.

Domain errors map by class (the nearest known base wins), so a DomainError subclass added
later needs no change here: unknown ones become 422 with their message and attributes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from application.errors import InvalidRows
from domain.errors import (
    AlreadyExists,
    DomainError,
    InvalidTransition,
    InvalidValue,
    NotFound,
    PermissionDenied,
    VersionConflict,
)
from web.api.schemas import FieldError, Problem

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:raati:problem:"

# (status, slug, title) for each error class the API knows; subclasses inherit the entry.
_DOMAIN: dict[type[DomainError], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    PermissionDenied: (403, "forbidden", "Not allowed"),
    InvalidTransition: (409, "invalid-transition", "The idea cannot move to that state"),
    VersionConflict: (409, "version-conflict", "Changed by someone else since it was read"),
    AlreadyExists: (409, "already-exists", "Already exists"),
    InvalidValue: (422, "invalid-value", "Invalid value"),
    DomainError: (422, "invalid", "The request cannot be carried out"),
}
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
}


class ApiProblem(Exception):
    """A problem the web layer itself detects (no or a bad token, an unknown path)."""

    def __init__(
        self, status: int, *, slug: str, detail: str, field: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.field = field
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    *,
    slug: str,
    title: str,
    detail: str,
    errors: Iterable[tuple[str, str]] = (),
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    problem = Problem(
        type=TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        errors=[FieldError(field=f, reason=r) for f, r in errors],
    )
    body = problem.model_dump(mode="json", exclude_none=True)
    # Extension members after the standard ones, never replacing them (an error class's facts are not checked).
    body.update({k: v for k, v in (extra or {}).items() if k not in body})
    content = json.dumps(body, ensure_ascii=False, default=str)
    return Response(content, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


def domain_problem(error: DomainError) -> Response:
    status, slug, title = next(_DOMAIN[c] for c in type(error).__mro__ if c in _DOMAIN)
    field = str(getattr(error, "field", "") or "request")
    reason = getattr(error, "reason", None)
    detail = str(error)
    errors = [(field, str(reason) if reason else detail.partition(": ")[2] or detail)]
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidTransition):
        extra = {"allowed": list(error.allowed), "current_state": error.current, "requested": error.requested}
    elif isinstance(error, VersionConflict):
        extra = {"current_version": error.current, "expected_version": error.expected}
    elif isinstance(error, InvalidRows):
        errors = [(f"line {e.line}: {e.field}", e.reason) for e in error.errors]
    elif type(error) not in _DOMAIN:
        # A newer error class: pass on the facts it carries, as far as they are plain JSON.
        extra = {k: v for k, v in vars(error).items() if not k.startswith("_") and _plain(v) and k not in _RESERVED}
    findings = getattr(error, "findings", None)
    if (
        isinstance(findings, tuple | list)
        and findings
        and all(callable(getattr(f, "position", None)) for f in findings)
    ):
        # Privacy findings say where and what kind, never the text itself (domain.errors.Located).
        extra["findings"] = [f.position() for f in findings]
    return problem_response(status, slug=slug, title=title, detail=detail, errors=errors, extra=extra)


_RESERVED = frozenset({"type", "title", "status", "detail", "errors", "field", "reason"})


def _plain(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def validation_problem(error: RequestValidationError) -> Response:
    errors = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        where = location[0] if location else "body"
        field = ".".join(location[1:]) if len(location) > 1 else where
        if item.get("type") == "json_invalid":
            field = "body"
        errors.append((field, str(item.get("msg", "is invalid"))))
    fields = ", ".join(dict.fromkeys(f for f, _ in errors))
    return problem_response(
        422,
        slug="validation",
        title="The request is malformed",
        detail=f"invalid: {fields}" if fields else "the request is malformed",
        errors=errors,
    )


def http_problem(error: HTTPException) -> Response:
    title = _TITLES.get(error.status_code, "Error")
    detail = error.detail if isinstance(error.detail, str) else title
    return problem_response(
        error.status_code,
        slug=title.lower().replace(" ", "-"),
        title=title,
        detail=detail,
        errors=[("request", detail)],
        headers=error.headers,
    )


def api_problem(error: ApiProblem) -> Response:
    title = _TITLES.get(error.status, "Error")
    return problem_response(
        error.status,
        slug=error.slug,
        title=title,
        detail=error.detail,
        errors=[(error.field, error.detail)],
        headers=error.headers,
    )


class ProblemRoute(APIRoute):
    """Every error of an API route, FastAPI's own validation errors included, as a problem body.

    Done per route (not with app-wide exception handlers) so that the HTML pages of the same
    app keep their own error handling.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return validation_problem(error)
            except DomainError as error:
                return domain_problem(error)
            except ApiProblem as error:
                return api_problem(error)
            except HTTPException as error:
                return http_problem(error)

        return handle


def unknown_path_handler(routes: Iterable[APIRoute], *, prefix: str) -> Callable[[Request], Response]:
    """404 for a path the API does not have; 405 (with Allow) for a known path with another method."""
    known = [(compile_path(prefix + route.path)[0], frozenset(route.methods or ())) for route in routes]

    def unknown_path(request: Request) -> Response:
        allowed = sorted({m for pattern, methods in known if pattern.match(request.url.path) for m in methods})
        if allowed:
            raise ApiProblem(
                405,
                slug="method-not-allowed",
                detail=f"{request.method} is not allowed here; allowed: {', '.join(allowed)}",
                field="method",
                headers={"Allow": ", ".join(allowed)},
            )
        raise ApiProblem(404, slug="not-found", detail=f"no such API path: {request.url.path}", field="path")

    return unknown_path


_DESCRIPTIONS = {409: "Conflict", 413: "Content too large: the body is over the limit", 422: "Invalid request"}
# Headers a problem of that status always carries.
_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "The bearer challenge.", "required": True, "schema": {"type": "string"}}},
}


# The responses every operation may give, for the OpenAPI document.
def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": Problem,
            "description": _TITLES.get(status) or _DESCRIPTIONS.get(status, "Error"),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        | ({"headers": _HEADERS[status]} if status in _HEADERS else {})
        for status in statuses
    }
