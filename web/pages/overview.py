"""The cross-panel overview (``/overview``): a manager's (and a coordinator's, over their panels) figures per panel
over a date range, each leading to its panel's dashboard or list (``application.reads.overview``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from application.reads import overview as read
from application.timezone import PANEL_TZ
from domain.errors import DomainError, InvalidValue
from web.pages.context import Pages, sign_in_redirect


def overview_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    @router.get("/overview", response_class=HTMLResponse)
    def overview(
        request: Request,
        start: Annotated[str, Query(alias="from", max_length=32)] = "",
        end: Annotated[str, Query(alias="to", max_length=32)] = "",
    ) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        t = pages.catalog(request, actor)
        sent = {"from": start.strip(), "to": end.strip()}
        today = pages.clock.now().astimezone(PANEL_TZ).date()
        try:
            first, last = read.date_range(start, end, today=today)
        except InvalidValue as problem:
            # The form again with the date named, and no figures (they would be of another range than asked).
            wrong = {
                "from": t("Check “From”: write the first day as YYYY-MM-DD, no later than the last day."),
                "to": t("Check “To”: write the last day as YYYY-MM-DD."),
            }
            return pages.page(
                request,
                "overview.html",
                actor=actor,
                status=422,
                shown=None,
                sent=sent,
                wrong=problem.field,
                message=wrong.get(problem.field, wrong["from"]),
            )
        try:
            shown = read.overview(actor, start=first, end=last, uow=pages.uow_factory(), clock=pages.clock)  # type: ignore[arg-type]
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        return pages.page(
            request,
            "overview.html",
            actor=actor,
            shown=shown,
            sent={"from": first.isoformat(), "to": last.isoformat()},
            signed=lambda n: ("+" if n > 0 else "") + t.format_number(n, decimals=0),
            wrong="",
            message="",
        )

    return router
