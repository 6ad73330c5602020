"""The web application: for now a start page, health, and the members' signed-link pages."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from application.ports import Clock, UnitOfWork
from notifications.links import LinkSigner
from web.api import api_router
from web.member_pages import member_router


def create_app(*, uow_factory: Callable[[], UnitOfWork], clock: Clock, signer: Callable[[], LinkSigner]) -> FastAPI:
    app = FastAPI(title="Raati", version="0.1.0")
    app.include_router(member_router(uow_factory=uow_factory, clock=clock, signer=signer))
    app.include_router(api_router(uow_factory=uow_factory, clock=clock))

    @app.get("/", response_class=HTMLResponse)
    def start() -> str:
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Raati</title></head><body><main>'
            "<h1>Raati</h1><p>Customer panels and what became of every idea. The dashboards are coming; "
            "members reach their own pages through the links in Raati's emails.</p></main></body></html>"
        )

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
