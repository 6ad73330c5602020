"""Request bodies are limited before anything parses them: 1 MiB for the API and the forms, unless a path declares
a larger limit (an upload) in ``LARGER_LIMITS``.

A body over the limit is answered 413, as a problem (application/problem+json) under /api and as a page
elsewhere, and the connection is closed:

- a declared Content-Length over the limit is refused at once, before a byte of the body is read;
- a body without one (chunked) is counted as the app reads it; past the limit the app's reading fails, whatever
  it would answer is dropped, and the 413 goes out instead.

Pure ASGI (not BaseHTTPMiddleware): the body passes through in uvicorn's pieces, never gathered here.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import HTMLResponse, Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notifications.i18n import negotiate
from web.api.problems import problem_catalog, problem_response, title_of, too_large_detail
from web.rendering import catalog_for, render_html

MIB = 1024 * 1024
BODY_LIMIT = 1 * MIB
# A route that takes an upload declares its larger limit here, by its path as routed, e.g.
# "/api/v1/meetings/{meeting_id}/materials": 20 * MIB. None does yet.
LARGER_LIMITS: Mapping[str, int] = {}
# Connection: close: the rest of a refused body is not read, so the connection cannot carry another request.
_CLOSE = {"Connection": "close"}


class BodyTooLarge(Exception):
    """Raised to the app from ``receive`` when the body it reads passes the limit."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limit: int = BODY_LIMIT, larger: Mapping[str, int] = LARGER_LIMITS) -> None:
        self.app = app
        self.limit = limit
        self.larger = [(compile_path(path)[0], size) for path, size in larger.items()]

    def limit_for(self, path: str) -> int:
        return next((size for pattern, size in self.larger if pattern.match(path)), self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refusal(scope, limit)(scope, receive, send)
            return

        received = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def unless_refused(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a body cut short (a 400, say) gives way to the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not exceeded:
                raise
        # A response the app began before reading its body too far cannot be replaced; uvicorn closes it unfinished.
        if exceeded and not started:
            await _refusal(scope, limit)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


def _refusal(scope: Scope, limit: int) -> Response:
    path: str = scope["path"]
    header = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1")
    if path == "/api" or path.startswith("/api/"):
        detail = f"the request body is larger than {limit} bytes ({limit / MIB:g} MiB), the most this path accepts"
        words = problem_catalog(header)
        shown = too_large_detail(f"{limit / MIB:g}", words) if words else detail
        return problem_response(
            413,
            slug="content-too-large",
            title=title_of("content-too-large", words),
            detail=shown,
            errors=[("body", detail)],
            headers=_CLOSE,
        )
    # Before any session is read: the page speaks the browser's language (Accept-Language), else Finnish.
    t = catalog_for(negotiate(header))
    size = t.format_number(limit / MIB, decimals=0 if limit % MIB == 0 else 1)
    html = render_html("too_large.html", t, size=size)
    return HTMLResponse(html, status_code=413, headers={**_CLOSE, "Content-Language": t.language})
