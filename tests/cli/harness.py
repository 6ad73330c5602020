"""What the command-line fixtures hand to tests: a finished run of ``raati``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RAATI = Path(sys.executable).parent / "raati"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


Raati = Callable[..., Run]
