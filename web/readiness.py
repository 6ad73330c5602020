"""``/readyz``: 200 when the database answers and its schema is the code's, else 503 with a problem body naming
what failed. ``/healthz`` stays a liveness check: the process answers, whatever the database does."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Response
from fastapi.responses import JSONResponse

from persistence.readiness import DatabaseReadiness
from web.api.problems import problem_response

ReadinessCheck = Callable[[], DatabaseReadiness]


def readiness_response(check: ReadinessCheck | None) -> Response:
    if check is None:
        # An app built without a database check (tests with fakes) cannot say it is ready.
        return _not_ready("not-configured", "this web app was built without a database check")
    status = check()
    if status.problem is not None:
        return _not_ready(status.problem, status.detail, revision=status.revision, head=status.head)
    return JSONResponse({"status": "ready", "database": "ok", "schema": status.revision})


def _not_ready(problem: str, detail: str, *, revision: str | None = None, head: str | None = None) -> Response:
    extra = {"database": problem, "schema": revision, "expected_schema": head}
    return problem_response(
        503,
        slug="not-ready",
        title="Not ready",
        detail=detail,
        errors=[("database", detail)],
        extra={key: value for key, value in extra.items() if value is not None},
        headers={"Cache-Control": "no-store"},
    )
