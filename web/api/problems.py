"""Errors as RFC 9457 problem details (application/problem+json), mapped once for every API route.

Domain errors map by class (the nearest known base wins), so a DomainError subclass added
later needs no change here: unknown ones become 422 with their message and attributes.

The body stays machine-readable whatever the language: ``type``, ``status``, ``errors`` (with the field
codes) and the extension members. ``title`` and ``detail`` are for people: with an ``Accept-Language``
header they are in its language (fi, sv or en, the pages' words, web/errors.py); without one the title is
English and the detail the developer's message, as before.
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
from notifications.i18n import Catalog, negotiate
from web.api.schemas import FieldError, Problem
from web.errors import explain
from web.rendering import catalog_for
from wiring.logs import REQUEST_ID

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:raati:problem:"

# (status, slug) for each error class the API knows; subclasses inherit the entry.
_DOMAIN: dict[type[DomainError], tuple[int, str]] = {
    NotFound: (404, "not-found"),
    PermissionDenied: (403, "forbidden"),
    InvalidTransition: (409, "invalid-transition"),
    VersionConflict: (409, "version-conflict"),
    AlreadyExists: (409, "already-exists"),
    InvalidValue: (422, "invalid-value"),
    DomainError: (422, "invalid"),
}
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
}
ENGLISH = "en"


def problem_catalog(accept_language: str | None) -> Catalog | None:
    """The words of a problem's title and detail: the request's Accept-Language, or None when it names none."""
    if not (accept_language or "").strip():
        return None
    return catalog_for(negotiate(accept_language, default=ENGLISH))


def title_of(slug: str, t: Catalog | None) -> str:
    """A problem type's title in the reader's language (English without an Accept-Language)."""
    words = t or catalog_for(ENGLISH)
    return _titles(words).get(slug) or _titles(words)["error"]


def _titles(t: Catalog) -> dict[str, str]:
    return {
        "not-found": t("Not found"),
        "forbidden": t("Not allowed"),
        "invalid-transition": t("The idea cannot move to that state"),
        "version-conflict": t("Changed by someone else since it was read"),
        "already-exists": t("Already exists"),
        "invalid-value": t("Invalid value"),
        "invalid": t("The request cannot be carried out"),
        "validation": t("The request is malformed"),
        "content-too-large": t("Content too large"),
        "bad-request": t("Bad request"),
        "not-authenticated": t("Not authenticated"),
        "unauthenticated": t("Not authenticated"),
        "invalid-token": t("Not authenticated"),
        "not-allowed": t("Not allowed"),
        "method-not-allowed": t("Method not allowed"),
        "error": t("Error"),
    }


def too_large_detail(size: str, t: Catalog) -> str:
    return t("The request is larger than {size} MB, the most this address accepts.", size=size)


def api_detail(slug: str, t: Catalog, fallback: str) -> str:
    """The detail of a problem the web layer itself detects, for people."""
    details = {
        "invalid-token": t("The access key is not valid: it is unknown or has been revoked."),
        "unauthenticated": t("Send your access key with the request (Authorization: Bearer KEY)."),
        "method-not-allowed": t("This address does not take that kind of request."),
        "not-found": t("There is no such address in the API."),
    }
    return details.get(slug, fallback)


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
    # The request's id (web/observe.py): what to quote to the operator, who finds the request's log lines by it.
    request_id = REQUEST_ID.get()
    if request_id:
        body.setdefault("request_id", request_id)
    content = json.dumps(body, ensure_ascii=False, default=str)
    return Response(content, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


def domain_problem(error: DomainError, t: Catalog | None = None) -> Response:
    status, slug = next(_DOMAIN[c] for c in type(error).__mro__ if c in _DOMAIN)
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
    if t is not None:
        detail = explain(error, t).message
    return problem_response(status, slug=slug, title=title_of(slug, t), detail=detail, errors=errors, extra=extra)


_RESERVED = frozenset({"type", "title", "status", "detail", "errors", "field", "reason"})


def _plain(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def validation_problem(error: RequestValidationError, t: Catalog | None = None) -> Response:
    errors = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        where = location[0] if location else "body"
        field = ".".join(location[1:]) if len(location) > 1 else where
        if item.get("type") == "json_invalid":
            field = "body"
        errors.append((field, str(item.get("msg", "is invalid"))))
    fields = ", ".join(dict.fromkeys(f for f, _ in errors))
    detail = f"invalid: {fields}" if fields else "the request is malformed"
    if t is not None:
        # A rule of the domain checked with the body (a note the members need) reads as the pages say it.
        rules = [
            (f, r) for (f, r), item in zip(errors, error.errors(), strict=True) if item.get("type") == "note_required"
        ]
        if rules and len(errors) == 1:
            detail = explain(InvalidValue(*rules[0]), t).message
        else:
            detail = t("Some values are missing or malformed: {fields}.", fields=fields) if fields else detail
    return problem_response(422, slug="validation", title=title_of("validation", t), detail=detail, errors=errors)


def http_problem(error: HTTPException, t: Catalog | None = None) -> Response:
    slug = _TITLES.get(error.status_code, "Error").lower().replace(" ", "-")
    detail = error.detail if isinstance(error.detail, str) else _TITLES.get(error.status_code, "Error")
    return problem_response(
        error.status_code,
        slug=slug,
        title=title_of(slug, t),
        detail=title_of(slug, t) if t is not None else detail,
        errors=[("request", detail)],
        headers=error.headers,
    )


def api_problem(error: ApiProblem, t: Catalog | None = None) -> Response:
    return problem_response(
        error.status,
        slug=error.slug,
        title=title_of(error.slug, t),
        detail=api_detail(error.slug, t, error.detail) if t is not None else error.detail,
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
                return validation_problem(error, problem_catalog(request.headers.get("accept-language")))
            except DomainError as error:
                return domain_problem(error, problem_catalog(request.headers.get("accept-language")))
            except ApiProblem as error:
                return api_problem(error, problem_catalog(request.headers.get("accept-language")))
            except HTTPException as error:
                return http_problem(error, problem_catalog(request.headers.get("accept-language")))

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
