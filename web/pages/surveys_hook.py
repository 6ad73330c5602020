"""HOOK: survey results on the dashboard, from application/surveys.py once it offers a report function.

Until then the dashboard says there are no results; nothing else depends on this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.ports import UnitOfWork


def survey_results(panel_id: int, *, uow_factory: Callable[[], UnitOfWork]) -> list[Any] | None:
    """The panel's survey reports, or None while surveys are not built (the template shows a note)."""
    return None
