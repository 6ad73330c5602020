"""Errors of the use cases that are not the domain's: a member list with bad rows."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


class InvalidRows(DomainError):
    """An import had rows that cannot be taken; nothing was imported."""

    field = "file"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"file: {len(errors)} invalid row(s), nothing was imported:\n{lines}")
