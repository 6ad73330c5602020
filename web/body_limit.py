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

from web.api.problems import problem_response
from web.rendering import environment
from web.texts import TOO_LARGE

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
    if path == "/api" or path.startswith("/api/"):
        detail = f"the request body is larger than {limit} bytes ({limit / MIB:g} MiB), the most this path accepts"
        return problem_response(
            413,
            slug="content-too-large",
            title="Content too large",
            detail=detail,
            errors=[("body", detail)],
            headers=_CLOSE,
        )
    lang = _language(scope)
    t = TOO_LARGE[lang]
    message = t["message"].format(limit=f"{limit / MIB:g} MB")
    html = environment().get_template("too_large.html").render(lang=lang, t=t, message=message)
    return HTMLResponse(html, status_code=413, headers=_CLOSE)


def _language(scope: Scope) -> str:
    """The first of the page's languages the browser asks for (Accept-Language, by q), else Finnish."""
    header = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1")
    ranked = []
    for order, part in enumerate(header.split(",")):
        tag, _, parameters = part.partition(";")
        name, _, value = parameters.strip().partition("=")
        try:
            quality = float(value) if name.strip() == "q" else 1.0
        except ValueError:
            quality = 0.0
        ranked.append((-quality, order, tag.strip().lower().partition("-")[0]))
    return next((code for _, _, code in sorted(ranked) if code in TOO_LARGE), "fi")
