"""Server-side HTML: one Jinja environment (autoescape, StrictUndefined) and the CSRF token of a session."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from application.timezone import PANEL_TZ

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
CSRF_FIELD = "csrf_token"


def helsinki(moment: datetime | str) -> str:
    """A stored (UTC) time as panels read it: Helsinki time, to the minute."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(PANEL_TZ).strftime("%Y-%m-%d %H:%M")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["helsinki"] = helsinki
    return env


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(csrf_token=csrf_token(request), **context)
    return HTMLResponse(html, status_code=status)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every form carries it in a hidden field."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
