"""What a browser or a JSON client gets for an HTTP error outside the API (an unknown address, a method the address
does not take, a value in the address that cannot be read): a page in the reader's language with a way back, or an
RFC 9457 problem (application/problem+json) when the request's Accept header ranks JSON above HTML."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from domain.errors import NotFound, PermissionDenied
from web.api.problems import domain_problem, http_problem, problem_catalog, validation_problem
from web.errors import wants_json
from web.pages.context import SESSION_KEY, Pages


def install_error_pages(app: FastAPI, pages: Pages) -> None:
    """The app-wide handlers for errors no page route answers itself (the API's routes answer their own)."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith(("/api/", "/static/")):
            return await http_exception_handler(request, error)
        if wants_json(request.headers.get("accept")):
            return http_problem(error, problem_catalog(request.headers.get("accept-language")))
        if error.status_code == 404:
            return await run_in_threadpool(pages.not_found, request)
        if error.status_code == 403:
            return await run_in_threadpool(_refused, pages, request)
        if error.status_code == 405:
            return await run_in_threadpool(_wrong_method, pages, request, error.headers or {})
        return await run_in_threadpool(_unreadable, pages, request, error.status_code)

    @app.exception_handler(RequestValidationError)
    async def unreadable(request: Request, error: RequestValidationError) -> Response:
        """A page's address with a value its route cannot read (``/meetings/abc``, ``?panel=x``)."""
        in_path = any(tuple(item.get("loc", ()))[:1] == ("path",) for item in error.errors())
        if wants_json(request.headers.get("accept")):
            t = problem_catalog(request.headers.get("accept-language"))
            if in_path:  # no such page, as for any other address that leads nowhere
                return domain_problem(NotFound("page", request.url.path), t)
            return validation_problem(error, t)
        if in_path:
            return await run_in_threadpool(pages.not_found, request)
        return await run_in_threadpool(_unreadable, pages, request, 422)


def _refused(pages: Pages, request: Request) -> Response:
    actor = pages.actor(request) if SESSION_KEY in request.session else None
    return pages.problem(request, PermissionDenied(actor.name if actor else "", "may not see this page"), actor=actor)


def _wrong_method(pages: Pages, request: Request, headers: Mapping[str, str]) -> Response:
    """A form's address opened as a page (reloaded, bookmarked or typed): where to send the form instead."""
    actor = pages.actor(request) if SESSION_KEY in request.session else None
    t = pages.catalog(request, actor)
    response = pages.page(
        request,
        "message.html",
        actor=actor,
        status=405,
        title=t("This page cannot be opened this way"),
        message=t(
            "This address only receives a form sent from a page. Go back to the page and send the form there again."
        ),
    )
    if "Allow" in headers:
        response.headers["Allow"] = headers["Allow"]
    return response


def _unreadable(pages: Pages, request: Request, status: int) -> Response:
    actor = pages.actor(request) if SESSION_KEY in request.session else None
    t = pages.catalog(request, actor)
    return pages.page(
        request,
        "message.html",
        actor=actor,
        status=status,
        title=t("Check the address"),
        message=t(
            "The address has a value that cannot be read, for example a letter where a number should be. "
            "Check the address or go back to the previous page."
        ),
    )
