"""The layer arrows of STYLE.md, checked with the standard library's ast.

domain/ is pure (standard library only, no clock, no I/O); application/ does not know the
adapters or the entry points; persistence/ and notifications/ do not know the use cases.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = frozenset({"domain", "application", "persistence", "notifications", "flows", "web", "cli"})

# Pure, deterministic parts of the standard library (and pydantic, which STYLE.md allows).
DOMAIN_MAY_IMPORT = frozenset(
    {
        "__future__",
        "abc",
        "collections",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "functools",
        "itertools",
        "math",
        "operator",
        "re",
        "string",
        "types",
        "typing",
        "unicodedata",
        "uuid",
        "zoneinfo",
        "pydantic",
        "domain",
    }
)
# Named explicitly so that the failure message is clear even if the allow-list grows.
NEVER_IN_DOMAIN = frozenset(
    {
        "sqlalchemy",
        "alembic",
        "prefect",
        "aiosmtplib",
        "smtplib",
        "httpx",
        "requests",
        "fastapi",
        "pydantic_settings",
        "jinja2",
        "socket",
        "os",
        "sys",
        "subprocess",
        "pathlib",
        "io",
        "sqlite3",
        "time",
        "random",
        "secrets",
        "logging",
        "asyncio",
        "importlib",
        "application",
        "persistence",
        "notifications",
        "flows",
        "web",
        "cli",
    }
)
FORBIDDEN: dict[str, frozenset[str]] = {
    "application": frozenset({"persistence", "web", "cli", "flows", "sqlalchemy", "prefect"}),
    "persistence": frozenset({"application", "web", "cli", "flows"}),
    "notifications": frozenset({"application", "web", "cli", "flows"}),
    "flows": frozenset({"web", "cli"}),
}
CLOCK_CALLS = frozenset({"now", "utcnow", "today"})


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, *, module: str, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """Every imported module as (line, absolute dotted name); relative imports are resolved."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.lineno, node.module or ""
                continue
            package = module.split(".")
            if not is_package:
                package = package[:-1]
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                yield node.lineno, ".".join([*base, node.module])
            else:  # from . import x: each name is a module of the package
                for alias in node.names:
                    yield node.lineno, ".".join([*base, alias.name])


def clock_calls_in(source: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_CALLS:
            yield node.lineno, ast.unparse(node.func)


def imports_in(path: Path) -> list[tuple[int, str]]:
    return list(
        imports_of(path.read_text(encoding="utf-8"), module=module_name(path), is_package=path.name == "__init__.py")
    )


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_layers_have_code_to_check() -> None:
    for package in ["domain", "application", "persistence", "notifications"]:
        assert python_files(package), f"{package}/ has no Python files; the architecture test checks nothing"


@pytest.mark.parametrize("path", python_files("domain"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_imports_only_pure_standard_library_modules(path: Path) -> None:
    problems = []
    for line, name in imports_in(path):
        top = name.split(".")[0]
        if top in NEVER_IN_DOMAIN or top not in DOMAIN_MAY_IMPORT:
            problems.append(f"{where(path, line)} imports {name}")
    assert not problems, "domain/ must stay pure:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", python_files("domain"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_never_reads_the_clock(path: Path) -> None:
    calls = [f"{where(path, line)} calls {call}()" for line, call in clock_calls_in(path.read_text("utf-8"))]
    assert not calls, "domain/ takes time as a parameter:\n" + "\n".join(calls)


@pytest.mark.parametrize(
    ("package", "path"),
    [(package, path) for package in FORBIDDEN for path in python_files(package)],
    ids=lambda value: str(value.relative_to(ROOT)) if isinstance(value, Path) else value,
)
def test_layers_import_only_in_the_allowed_direction(package: str, path: Path) -> None:
    problems = [
        f"{where(path, line)} imports {name}"
        for line, name in imports_in(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert not problems, f"{package}/ may not import {sorted(FORBIDDEN[package])}:\n" + "\n".join(problems)


def test_flows_may_use_the_application_layer() -> None:
    assert "application" not in FORBIDDEN["flows"]
    assert "application" in FORBIDDEN["persistence"]


def test_the_checker_sees_forbidden_imports_relative_imports_and_clock_calls() -> None:
    source = (
        "import os.path\n"
        "from sqlalchemy import select\n"
        "from . import ideas\n"
        "from ..persistence import tables\n"
        "def f():\n"
        "    import random\n"
        "    return datetime.now(UTC), date.today(), datetime.utcnow()\n"
    )

    found = [name for _, name in imports_of(source, module="domain.values")]
    calls = [call for _, call in clock_calls_in(source)]

    assert found == ["os.path", "sqlalchemy", "domain.ideas", "persistence", "random"]
    assert calls == ["datetime.now", "date.today", "datetime.utcnow"]
    outside = {name.split(".")[0] for name in found} - DOMAIN_MAY_IMPORT
    assert outside == {"os", "sqlalchemy", "persistence", "random"}


def test_allow_list_and_deny_list_of_the_domain_do_not_overlap() -> None:
    assert not DOMAIN_MAY_IMPORT & NEVER_IN_DOMAIN
    assert PROJECT_PACKAGES - {"domain"} <= NEVER_IN_DOMAIN
