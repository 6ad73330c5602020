"""Raati's top-level import names (domain, cli, web…) are generic: no other installed distribution may ship
any of them (pip would let one overwrite Raati's files, and uninstalling it would delete them), and no new one
is added. The names are those ``[tool.setuptools.packages.find]`` puts in a wheel, and the installed
distribution's ``top_level.txt`` when there is one."""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Fixed: a new top-level package is one more generic name to collide with; put new code inside these.
KNOWN = frozenset({"application", "cli", "domain", "flows", "notifications", "persistence", "web", "wiring"})


def shipped_names(root: Path = ROOT) -> frozenset[str]:
    """The top-level packages a wheel built from ``root`` carries: folders with an ``__init__.py`` that a
    ``packages.find`` include pattern matches (``web*`` would take a new ``webhooks/`` too)."""
    find = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    patterns = find["find"]["include"]
    return frozenset(
        folder.name
        for folder in root.iterdir()
        if (folder / "__init__.py").is_file() and any(fnmatch(folder.name, p) for p in patterns)
    )


def top_level_names(dist: importlib.metadata.Distribution) -> frozenset[str]:
    """What a distribution puts at the top of site-packages: its ``top_level.txt``, else its files' first parts."""
    listed = dist.read_text("top_level.txt")
    if listed is not None:
        return frozenset(line.strip() for line in listed.splitlines() if line.strip())
    names = set()
    for file in dist.files or ():
        first = file.parts[0] if file.parts else ""
        if len(file.parts) > 1 and first not in ("..", "__pycache__") and not first.endswith((".dist-info", ".data")):
            names.add(first)
        elif len(file.parts) == 1 and file.suffix == ".py":
            names.add(file.stem)
    return frozenset(names)


def clashes(ours: Iterable[str], *, path: list[str] | None = None) -> dict[str, set[str]]:
    """Our names that other distributions on ``path`` (default: ``sys.path``) also ship, with those distributions."""
    found: dict[str, set[str]] = {}
    wanted = set(ours)
    for dist in importlib.metadata.distributions(path=sys.path if path is None else path):
        name = dist.metadata["Name"] or ""
        if name.lower() == "raati":
            continue
        for clash in wanted & top_level_names(dist):
            found.setdefault(clash, set()).add(name)
    return found


def test_raati_adds_no_new_top_level_name() -> None:
    assert shipped_names() == KNOWN
    try:
        installed = importlib.metadata.distribution("raati").read_text("top_level.txt")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed is not None:
        assert {line.strip() for line in installed.splitlines() if line.strip()} == KNOWN


def test_no_other_installed_distribution_ships_a_name_of_raati() -> None:
    assert clashes(KNOWN) == {}
    # The standard library's own names are taken too: a package called ``cli`` or ``web`` is fine, ``email`` is not.
    assert not KNOWN & sys.stdlib_module_names


def test_a_distribution_that_ships_cli_is_caught(tmp_path: Path) -> None:
    """The check itself: a distribution carrying ``cli/`` (as one did, overwriting Raati's) is named."""
    info = tmp_path / "helper_tools-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: helper-tools\nVersion: 1.0\n", encoding="utf-8")
    (info / "RECORD").write_text("cli/__init__.py,,\ncli/run.py,,\nhelper_tools-1.0.dist-info/METADATA,,\n")
    assert clashes(KNOWN, path=[str(tmp_path)]) == {"cli": {"helper-tools"}}
    (info / "top_level.txt").write_text("web\nhelper\n", encoding="utf-8")
    assert clashes(KNOWN, path=[str(tmp_path)]) == {"web": {"helper-tools"}}
