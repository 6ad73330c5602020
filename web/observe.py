"""Every request gets an id (a valid incoming ``X-Request-ID``, else a new one), answered in the ``X-Request-ID``
header and carried by every log line and problem body of the request; one access log line and the HTTP metrics per
request, by route template: never the path itself, the query string or anyone's address (tokens and ids live there).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.api.problems import problem_response
from web.errors import wants_json
from web.metrics import HTTP_DURATION, HTTP_REQUESTS
from wiring.logs import REQUEST_ID

HEADER = "X-Request-ID"
# An incoming id is taken as it is only if it is short and plain: it goes into logs and headers.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
UNMATCHED = "unmatched"  # no route: a 404, or refused before routing (a body over its limit)

access_log = logging.getLogger("raati.access")
log = logging.getLogger(__name__)


def request_id_of(header: str | None) -> str:
    return header if header is not None and VALID_ID.fullmatch(header) else uuid.uuid4().hex


def route_of(scope: Scope) -> str:
    """The matched route's template (``/m/{member_id}/panel``, ``/api/v1/ideas/{idea_id}``), or ``unmatched``.

    A route of an included router knows only its own part of the path (``/ideas/{idea_id}``): the part of the
    request's path before it is the routers' prefix, kept only if it is made of plain words (never an id or token).
    """
    route, path = scope.get("route"), str(scope.get("path", ""))
    own, pattern = getattr(route, "path", None), getattr(route, "path_regex", None)
    if route is None:  # a mount (the static files) routes by itself: its prefix and the rest as {path}
        mount = str(scope.get("root_path", ""))[len(str(scope.get("app_root_path", ""))) :]
        return f"{mount}/{{path}}" if mount and _PREFIX.fullmatch(mount) else UNMATCHED
    if not isinstance(own, str) or not own or pattern is None:
        return UNMATCHED
    for at in (i for i, char in enumerate(path) if char == "/"):
        if pattern.fullmatch(path[at:]):
            prefix = path[:at]
            return prefix + own if not prefix or _PREFIX.fullmatch(prefix) else UNMATCHED
    return own


_PREFIX = re.compile(r"(?:/[a-z][a-z0-9_-]{0,30})+")


class ObserveMiddleware:
    """Outermost of the app's own middleware, so the body limit's refusals are logged and counted too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = request_id_of(header)
        scope.setdefault("state", {})["request_id"] = request_id  # for the error handler, outside this context
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        method = scope["method"]
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            status = 500
            log.exception("unhandled error", extra={"method": method, "route": route_of(scope)})
            raise
        finally:
            seconds = time.perf_counter() - started
            route = route_of(scope)
            HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            HTTP_DURATION.labels(method=method, route=route).observe(seconds)
            access_log.info(
                "%s %s %s",
                method,
                route,
                status,
                extra={"method": method, "route": route, "status": status, "duration_ms": round(seconds * 1000, 1)},
            )
            REQUEST_ID.reset(token)


def install_request_ids(app: FastAPI) -> None:
    """The middleware, and a 500 that names the request id (the traceback is in the log, under the same id)."""
    app.add_middleware(ObserveMiddleware)

    async def server_error(request: Request, _error: Exception) -> Response:
        request_id = getattr(request.state, "request_id", "")
        headers = {HEADER: request_id} if request_id else {}
        if request.url.path.startswith("/api/") or wants_json(request.headers.get("accept")):
            detail = "Something went wrong on the server; the request id names it in the server's log."
            extra = {"request_id": request_id}
            return problem_response(500, slug="error", title="Error", detail=detail, extra=extra, headers=headers)
        text = f"Internal Server Error\nrequest id: {request_id}\n"
        return PlainTextResponse(text, status_code=500, headers=headers)

    app.add_exception_handler(Exception, server_error)
