"""A coordinator's home page (``/``): what needs doing now across their panels, each with a link to where it is done.

The start route (web/pages/auth.py) shows it to the roles whose home is ``/``; a service owner goes to their
queue and a manager to the overview, as before.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from application.reads import home
from domain.actors import Actor
from domain.errors import DomainError
from web.pages.context import Pages


def home_page(pages: Pages, request: Request, actor: Actor) -> Response:
    try:
        shown = home.home_page(actor, uow=pages.uow_factory(), clock=pages.clock)  # type: ignore[arg-type]
    except DomainError as problem:
        return pages.problem(request, problem, actor=actor)
    return pages.page(request, "home.html", actor=actor, shown=shown)
