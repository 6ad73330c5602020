"""Printing: JSON for programs, Rich tables and lines for people, errors to stderr."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

# Panels meet in Helsinki: times are shown, and read without an offset, in Helsinki time.
HELSINKI = ZoneInfo("Europe/Helsinki")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def print_json(value: Any) -> None:
    # Plain print, not Rich: programs parse this, so no wrapping or markup.
    print(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*("" if cell is None else str(cell) for cell in row))
    out.print(grid)


def say(text: str) -> None:
    out.print(text, markup=False)


def local(moment: datetime) -> str:
    """A moment as Helsinki wall-clock time, to the minute."""
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M")
