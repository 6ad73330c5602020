"""The layer arrows of STYLE.md, checked with the standard library's ast.

domain/ is pure (standard library only, no clock, no I/O); application/ does not know the
adapters or the entry points; persistence/ and notifications/ do not know the use cases.
Event types, notification kinds and idea states are named by their enums, never spelled out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path

import pytest

from domain.events import EventType
from domain.ideas import IdeaState
from notifications.kinds import Kind

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = frozenset({"domain", "application", "persistence", "notifications", "flows", "web", "cli", "wiring"})

# Pure, deterministic parts of the standard library (and pydantic, which STYLE.md allows).
DOMAIN_MAY_IMPORT = frozenset(
    {
        "__future__",
        "abc",
        "bisect",  # searching a sorted list: the medicine names (domain/privacy_detectors.py)
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
        "wiring",
    }
)
FORBIDDEN: dict[str, frozenset[str]] = {
    "application": frozenset({"persistence", "web", "cli", "flows", "wiring", "sqlalchemy", "prefect"}),
    "persistence": frozenset({"application", "web", "cli", "flows", "wiring"}),
    "notifications": frozenset({"application", "persistence", "web", "cli", "flows", "wiring"}),
    "flows": frozenset({"web", "cli"}),
    # The web app reads where the Prefect server is (flows.settings, no Prefect import) for its link to the UI.
    "web": frozenset({"cli"}),
}
# Libraries that only one place may use: the one SMTP transport, and Prefect in the flows and the serve command.
ONLY_IN: dict[str, tuple[str, ...]] = {
    "aiosmtplib": ("notifications/smtp.py",),
    "prefect": ("flows/", "cli/serve.py", "cli/devtools/prefect_server.py"),
}
# Scripts outside the product that may use such a library anyway, each with the reason.
ONLY_IN_EXCEPTIONS: Mapping[str, str] = {
    "bench/smtp_dispatch.py": "measures raw aiosmtplib sends as the baseline the dispatcher is compared with",
    "bench/prefect_drills.py": "drives a local Prefect server and its worker to measure crashes and bursts (issue 17)",
}
CHECKED_TREES = (*sorted(PROJECT_PACKAGES), "bench")
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


def _library_uses() -> list[tuple[str, Path]]:
    return [(library, path) for library in ONLY_IN for tree in CHECKED_TREES for path in python_files(tree)]


@pytest.mark.parametrize(
    ("library", "path"),
    _library_uses(),
    ids=lambda value: str(value.relative_to(ROOT)) if isinstance(value, Path) else value,
)
def test_smtp_and_prefect_are_imported_only_where_they_belong(library: str, path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative in ONLY_IN_EXCEPTIONS or relative.startswith(ONLY_IN[library]):
        return
    problems = [
        f"{where(path, line)} imports {name}" for line, name in imports_in(path) if name.split(".")[0] == library
    ]
    assert not problems, f"only {', '.join(ONLY_IN[library])} may import {library}:\n" + "\n".join(problems)


def test_the_whole_design_is_checked() -> None:
    """Every rule of the design has its row: a layer left out of FORBIDDEN would be checked by nothing."""
    assert set(FORBIDDEN) == {"application", "persistence", "notifications", "flows", "web"}
    assert {"persistence", "web", "cli", "flows", "wiring"} <= FORBIDDEN["application"]
    assert "persistence" in FORBIDDEN["notifications"]
    assert all((ROOT / allowed).exists() for allowed in ONLY_IN["aiosmtplib"] + ONLY_IN["prefect"])
    assert python_files("bench"), "bench/ is checked too"


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


# --- Vocabularies: named by their enums, never spelled out ---------------------------------------
#
# A string equal to an event type, a notification kind or an idea state is a typo waiting to happen
# (``event.type == "mvoed"`` is silently false), so product code names the enum member. The checker looks
# only where a string is used *as* one of these words, so that "summary" as a field name or a CLI command
# passes: comparisons and membership tests (``==``, ``in``, SQL ``.in_()``, ``match``), the arguments of
# parameters and the targets of assignments named like the vocabulary (``type``, ``kind``, ``state``, ``to``,
# ... also positionally, by the parameter names of the project's own functions and classes), tuples, lists
# and sets written out of these words alone, and the keys of dicts keyed by them (two or more such keys).
# The enums' own modules need no exception (a member's value is in none of these places); migrations
# (persistence/migrations) keep the strings they were written with; templates and tests are not checked.

VOCABULARIES: tuple[type[StrEnum], ...] = (EventType, Kind, IdeaState)
MEMBERS_BY_WORD: Mapping[str, tuple[str, ...]] = {
    word: tuple(f"{enum.__name__}.{member.name}" for enum in VOCABULARIES for member in enum if member == word)
    for word in sorted({member.value for enum in VOCABULARIES for member in enum})
}
VOCABULARY_PARAMETERS = frozenset(
    {"type", "type_", "event_type", "kind", "state", "states", "to", "to_state", "from_state"}
)
SQL_MEMBERSHIP = frozenset({"in_", "not_in", "notin_"})
CONTAINER_CALLS = frozenset({"frozenset", "set", "tuple", "list"})
# Files whose vocabulary-looking strings are something else; each entry says what.
VOCABULARY_ALLOWED: Mapping[str, str] = {}


def vocabulary_files() -> list[Path]:
    return [
        path
        for package in sorted(PROJECT_PACKAGES)
        for path in python_files(package)
        if "migrations" not in path.relative_to(ROOT).parts
    ]


def _positional_names(node: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> list[str]:
    names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
    return names[1:] if method and names[:1] in (["self"], ["cls"]) else names


def vocabulary_positions(trees: Iterable[ast.Module]) -> dict[str, frozenset[int]]:
    """Per function or class name defined in ``trees``: the positions of its arguments named like the vocabulary.

    Names are not resolved: two definitions of one name pool their positions, which errs towards checking.
    """
    found: dict[str, set[int]] = {}

    def add(name: str, params: list[str]) -> None:
        found.setdefault(name, set()).update(i for i, p in enumerate(params) if p in VOCABULARY_PARAMETERS)

    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                init = [n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
                fields = [
                    n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                ]
                add(node.name, _positional_names(init[0], method=True) if init else fields)
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        add(item.name, _positional_names(item, method=True))
            elif isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        add(item.name, _positional_names(item, method=False))
    return {name: frozenset(positions) for name, positions in found.items() if positions}


def _strings(node: ast.expr | None) -> Iterator[ast.Constant]:
    """The string constants a value is made of: itself, a conditional's branches, a written-out collection."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for element in node.elts:
            yield from _strings(element)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CONTAINER_CALLS:
        for arg in node.args:
            yield from _strings(arg)


def _callee(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _target_name(target: ast.expr) -> str:
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _used_as_words(tree: ast.Module, positions: Mapping[str, frozenset[int]]) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                yield from _strings(operand)
        elif isinstance(node, ast.MatchValue):
            yield from _strings(node.value)
        elif isinstance(node, ast.Call):
            name = _callee(node)
            for i, arg in enumerate(node.args):
                if name in SQL_MEMBERSHIP or i in positions.get(name, ()):
                    yield from _strings(arg)
            for keyword in node.keywords:
                if keyword.arg in VOCABULARY_PARAMETERS:
                    yield from _strings(keyword.value)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_target_name(t) in VOCABULARY_PARAMETERS for t in targets):
                yield from _strings(node.value)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = [*node.args.posonlyargs, *node.args.args]
            pairs = [*zip(args[len(args) - len(node.args.defaults) :], node.args.defaults, strict=True)]
            pairs += [(a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d]
            for arg, default in pairs:
                if arg.arg in VOCABULARY_PARAMETERS:
                    yield from _strings(default)
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = list(_strings(node))
            if strings and len(strings) == len(node.elts) and all(s.value in MEMBERS_BY_WORD for s in strings):
                yield from strings
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if isinstance(k, ast.Constant) and k.value in MEMBERS_BY_WORD]
            if len(keys) >= 2:
                yield from keys


def spelled_out_words(source: str, positions: Mapping[str, frozenset[int]]) -> list[tuple[int, str]]:
    """Every vocabulary word written as a string where it is used as that word: (line, word), in order."""
    hits = {(s.lineno, s.col_offset): s.value for s in _used_as_words(ast.parse(source), positions)}
    return [(line, word) for (line, _), word in sorted(hits.items()) if word in MEMBERS_BY_WORD]


@cache
def project_vocabulary_positions() -> Mapping[str, frozenset[int]]:
    return vocabulary_positions(ast.parse(path.read_text(encoding="utf-8")) for path in vocabulary_files())


@pytest.mark.parametrize("path", vocabulary_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_event_types_kinds_and_states_are_named_not_spelled_out(path: Path) -> None:
    if str(path.relative_to(ROOT)) in VOCABULARY_ALLOWED:
        pytest.skip(VOCABULARY_ALLOWED[str(path.relative_to(ROOT))])
    found = spelled_out_words(path.read_text(encoding="utf-8"), project_vocabulary_positions())
    problems = [
        f"{where(path, line)} spells out {word!r}: use {' or '.join(MEMBERS_BY_WORD[word])}" for line, word in found
    ]
    assert not problems, "name the enum member, not its string:\n" + "\n".join(problems)


def test_the_vocabulary_checker_sees_words_used_as_words_and_nothing_else() -> None:
    source = (
        "class Move:\n"
        "    idea_id: int\n"
        "    to: str\n"
        "    def record(self, type_, *, seq): ...\n"
        "if event.type == 'moved' or kind != 'digest': pass\n"  # 5
        "ok = state in ('raised', 'sent_to_service')\n"  # 6
        "query.where(Row.type.in_(['noted']))\n"  # 7
        "meeting.record('held', seq=1)\n"  # 8
        "Move(1, 'declined')\n"  # 9
        "Event(kind='welcome', to_state='implemented' if done else 'in_progress')\n"  # 10
        "FINAL = frozenset({'implemented', 'declined'})\n"  # 11
        "LABELS = {'raised': 'new', 'moved': 'changed'}\n"  # 12
        "match event.type:\n"
        "    case 'erased': pass\n"  # 14
        "event.type = 'granted'\n"  # 15
        "def chase(state='raised'): ...\n"  # 16
        # Not vocabulary: a field name, a command name, a counter, a JSON field, a message, a mixed key
        "raise InvalidValue('summary', 'has already been sent')\n"
        "app.command('welcome')(member_welcome)\n"
        "counts['reminded'] += 1\n"
        "print_json({'survey_id': 1, 'reminded': 2})\n"
        "say('moved')\n"
        "key = ('prebrief', meeting.id, stage)\n"
        "record(panel, 'summary')\n"
    )

    found = spelled_out_words(source, vocabulary_positions([ast.parse(source)]))

    assert found == [
        (5, "moved"),
        (5, "digest"),
        (6, "raised"),
        (6, "sent_to_service"),
        (7, "noted"),
        (8, "held"),
        (9, "declined"),
        (10, "welcome"),
        (10, "implemented"),
        (10, "in_progress"),
        (11, "implemented"),
        (11, "declined"),
        (12, "raised"),
        (12, "moved"),
        (14, "erased"),
        (15, "granted"),
        (16, "raised"),
    ]


def test_the_pages_name_every_idea_state_in_every_language() -> None:
    from notifications.i18n import LANGUAGES
    from web.errors import state_name
    from web.rendering import catalog_for

    for language in LANGUAGES:
        names = {state: state_name(state.value, catalog_for(language)) for state in IdeaState}
        assert "–" not in names.values(), language
        assert len(set(names.values())) == len(IdeaState), language
