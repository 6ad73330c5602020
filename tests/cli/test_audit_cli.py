"""``raati audit list`` (the operator's view of the audit trail: its JSON a contract), ``raati user sessions`` and
``raati user end-sessions``, and ``raati user token`` beside the tokens named on the settings page; on SQLite and
PostgreSQL, the command run in-process against the test database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from application.access.personal_tokens import CreateToken, create_token
from application.access.sessions import current_session, start_session
from application.access.tokens import authenticate
from application.clock import SystemClock
from tests.cli.harness import Raati
from tests.conftest import FixedClock

COORD, OWNER, OTHER = "koord@ita.example", "suu@ita.example", "koord@lansi.example"
FIELDS = {"at", "event", "user", "actor", "method", "client", "detail"}


def ok(run) -> object:
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.fixture
def staff(raati: Raati) -> dict[str, str]:
    """Two panels with a coordinator each and a service representative in the first; their script tokens."""
    ok(raati("panel", "create", "Itäinen raati", "--json"))
    ok(raati("panel", "create", "Läntinen raati", "--json"))
    ok(raati("service", "add", "Suun terveydenhuolto", "--panel", "Itäinen raati", "--json"))
    added = {
        COORD: ("--role", "coordinator", "--panel", "Itäinen raati"),
        OWNER: ("--role", "service_owner", "--service", "Suun terveydenhuolto"),
        OTHER: ("--role", "coordinator", "--panel", "Läntinen raati"),
    }
    return {email: ok(raati("user", "add", email, *how, "--json"))["token"] for email, how in added.items()}


def user_id(uow_factory, email: str) -> int:
    with uow_factory() as uow:
        return uow.users.by_email(email).stored_id


def signed_in(uow_factory, email: str, *, client: str = "203.0.113.0/24"):
    """A session as the email link opens one (from a client in 203.0.113.0/24), on the real clock as the CLI's."""
    return start_session(
        user_id=user_id(uow_factory, email),
        method="email_link",
        client=client,
        user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/128.0",
        uow=uow_factory(),
        clock=SystemClock(),
    )


def test_audit_list_json_is_every_event_newest_first_with_stable_fields(
    raati: Raati, staff: dict[str, str], uow_factory
) -> None:
    signed_in(uow_factory, OWNER)
    ok(raati("user", "end-sessions", OWNER, "--json"))

    events = ok(raati("audit", "list", "--json"))

    assert all(set(event) == FIELDS for event in events)
    assert [e["event"] for e in events[:2]] == ["sessions_ended", "signed_in"]
    assert {e["user"] for e in events if e["event"] == "token_created"} == {COORD, OWNER, OTHER}
    ended, signed = events[0], events[1]
    assert (ended["user"], ended["actor"], ended["detail"]) == (OWNER, None, "1")
    assert (signed["user"], signed["method"], signed["client"]) == (OWNER, "email_link", "203.0.113.0/24")
    times = [datetime.fromisoformat(e["at"]) for e in events]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times, reverse=True)
    assert not any(token in json.dumps(events) for token in staff.values())  # no secret in the trail


def test_audit_list_for_one_user_keeps_to_their_events(raati: Raati, staff: dict[str, str], uow_factory) -> None:
    signed_in(uow_factory, OWNER)
    signed_in(uow_factory, OTHER, client="198.51.100.0/24")

    mine = ok(raati("audit", "list", "--user", OWNER, "--json"))

    assert {e["event"] for e in mine} == {"token_created", "signed_in"}
    assert all(OWNER in (e["user"], e["actor"]) for e in mine)
    assert "198.51.100.0/24" not in json.dumps(mine)


def test_audit_list_for_people_is_a_table_in_words(raati: Raati, staff: dict[str, str], uow_factory) -> None:
    signed_in(uow_factory, OWNER)

    run = raati("audit", "list", "--user", OWNER)

    assert run.code == 0, run.err
    for words in ("signed in", "API token created", OWNER, "email link", "203.0.113.0/24"):
        assert words in run.out


@pytest.mark.parametrize("user", ["nobody@example.org", "not an address"])
def test_audit_list_for_an_unknown_user_exits_2_naming_the_user(raati: Raati, staff: dict[str, str], user) -> None:
    run = raati("audit", "list", "--user", user, "--json")

    assert run.code == 2
    assert "user" in run.err
    assert "Traceback" not in run.err
    assert run.out == ""


def test_user_sessions_lists_and_end_sessions_ends_them_everywhere(
    raati: Raati, staff: dict[str, str], uow_factory
) -> None:
    first, second = signed_in(uow_factory, COORD), signed_in(uow_factory, COORD, client="198.51.100.0/24")

    listed = ok(raati("user", "sessions", COORD, "--json"))
    assert [s["id"] for s in listed] == [second.session.id, first.session.id]
    assert {s["client"] for s in listed} == {"203.0.113.0/24", "198.51.100.0/24"}
    table = raati("user", "sessions", COORD)
    assert table.code == 0
    assert "email link" in table.out

    assert ok(raati("user", "end-sessions", COORD, "--json")) == {"email": COORD, "sessions_ended": 2}

    assert ok(raati("user", "sessions", COORD, "--json")) == []
    for signed in (first, second):
        assert current_session(signed.session_id, uow=uow_factory(), clock=SystemClock()) is None
    assert authenticate(staff[COORD], uow=uow_factory(), clock=SystemClock()) is not None  # tokens stay
    assert "0 session(s) ended" in raati("user", "end-sessions", COORD).out


def test_user_sessions_lists_the_sessions_open_under_the_configured_idle_timeout(
    raati: Raati, staff: dict[str, str], uow_factory, cli_env: dict[str, str]
) -> None:
    ten_minutes_ago = FixedClock(datetime.now(UTC) - timedelta(minutes=10))
    start_session(
        user_id=user_id(uow_factory, COORD), method="email_link", client=None, user_agent=None,
        uow=uow_factory(), clock=ten_minutes_ago,
    )  # fmt: skip

    assert len(ok(raati("user", "sessions", COORD, "--json"))) == 1  # 60 minutes by default
    cli_env["RAATI_SESSION_IDLE_MINUTES"] = "5"
    assert ok(raati("user", "sessions", COORD, "--json")) == []


@pytest.mark.parametrize("command", ["sessions", "end-sessions"])
def test_session_commands_for_an_unknown_email_exit_2(raati: Raati, staff: dict[str, str], command: str) -> None:
    run = raati("user", command, "nobody@example.org")

    assert run.code == 2
    assert "nobody@example.org" in run.err
    assert "Traceback" not in run.err


def test_a_coordinator_may_end_only_their_panels_staffs_sessions(
    raati: Raati, staff: dict[str, str], uow_factory
) -> None:
    signed = signed_in(uow_factory, OWNER)

    refused = raati("user", "end-sessions", OWNER, "--as", OTHER)
    assert refused.code == 2
    assert "their own panels" in refused.err
    assert current_session(signed.session_id, uow=uow_factory(), clock=SystemClock()) is not None

    assert ok(raati("user", "end-sessions", OWNER, "--as", COORD, "--json"))["sessions_ended"] == 1
    ended = ok(raati("audit", "list", "--user", OWNER, "--json"))[0]
    assert (ended["event"], ended["user"], ended["actor"]) == ("sessions_ended", OWNER, COORD)


def test_user_token_replaces_the_script_token_and_leaves_named_tokens(
    raati: Raati, staff: dict[str, str], uow_factory
) -> None:
    named = create_token(CreateToken(name="Raportointi", actor=COORD), uow=uow_factory(), clock=SystemClock())

    renewed = ok(raati("user", "token", COORD, "--json"))

    assert renewed["revoked"] == 1
    clock = SystemClock()
    assert authenticate(staff[COORD], uow=uow_factory(), clock=clock) is None
    assert authenticate(renewed["token"], uow=uow_factory(), clock=clock) is not None
    assert authenticate(named.secret, uow=uow_factory(), clock=clock) is not None
