"""The web app for an ASGI server with several worker processes, wired from the RAATI_* settings:

    uvicorn --factory web.asgi:create --workers 4 --host 0.0.0.0 --port 8000
"""

from __future__ import annotations

from fastapi import FastAPI

from web.app import create_app


def create() -> FastAPI:
    import wiring  # each worker builds its own engine and sessions, lazily

    return create_app(uow_factory=wiring.uow, clock=wiring.clock(), signer=wiring.signer)
