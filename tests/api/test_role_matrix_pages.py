"""The role matrix on the staff pages, over real HTTP (uvicorn), on SQLite and PostgreSQL: each caller signs in
with a link by email, opens the idea pages, the queue and the dashboard, and sends the move form. The pages ask the
same access policy as the API (tests/api/test_role_matrix.py): the same callers read and change the same ideas."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from notifications.links import LinkSigner
from persistence.tables import EventRow, OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.conftest import CALLERS, COORD, COORD_OTHER, MANAGER, OWNER, OWNER_OTHER, World
from tests.conftest import FixedClock
from tests.sign_in import sign_in
from tests.web_server import serving
from web.app import create_app
from web.rendering import catalog_for
from web.settings import WebSettings

SIGNED_OUT = "signed_out"
SIGNER = LinkSigner(b"k" * 32)

# page -> expected status per caller; someone not signed in is sent to the sign-in page (303) everywhere.
EXPECTED: dict[str, dict[str, int]] = {
    # Sent to service A1 of panel A: panel A's coordinator, A1's owner and the manager read it.
    "idea_sent": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 403, MANAGER: 200},
    # Raised in panel A, no service yet: no service owner reads it.
    "idea_raised": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    "queue": {COORD: 200, COORD_OTHER: 200, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    # Service owners have their queue, not the dashboards.
    "dashboard": {COORD: 200, COORD_OTHER: 200, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    # Panel A's dashboard is not among those of panel B's coordinator.
    "dashboard_a": {COORD: 200, COORD_OTHER: 404, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    # The outbox: coordinators their panels' mail, the manager every panel's; owners a page saying no.
    "outbox": {COORD: 200, COORD_OTHER: 200, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    "outbox_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    # The cross-panel overview: the manager's home; coordinators see their own panels in it.
    "overview": {COORD: 200, COORD_OTHER: 200, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    # A meeting's materials: whoever reads the meeting (its panel's staff, the manager); the pre-brief's preview
    # carries a member's name: the panel's coordinators only.
    "materials_a": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "prebrief_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    # The panels: each reads those within reach; panel A's page, meetings and meeting are read by its staff and the
    # manager, and changed (the forms behind schedule, edit, move, cancel) by its coordinators only.
    "panels": {COORD: 200, COORD_OTHER: 200, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "panel_a": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "meetings_a": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "meeting_a": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "schedule_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    "meeting_edit_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    "reschedule_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    "cancel_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    # The meeting room (each member's turns and speaking time): the meeting's coordinators only.
    "room_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    # Members' names and addresses: the panel's coordinators only (not even the manager).
    "members_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    # Topic wishes, ground rules and surveys: the panel's coordinators, and the manager reading.
    "wishes_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    "rules_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    "surveys_a": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
    # The staff of one's panels: coordinators; everyone has their own settings and audit trail.
    "staff": {COORD: 200, COORD_OTHER: 200, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    "audit": {COORD: 200, COORD_OTHER: 200, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "settings": {COORD: 200, COORD_OTHER: 200, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    # Home: a coordinator's what-needs-doing; an owner is sent on to their queue and a manager to the overview;
    # someone not signed in reads the start page.
    "home": {COORD: 200, COORD_OTHER: 200, OWNER: 303, OWNER_OTHER: 303, MANAGER: 303, SIGNED_OUT: 200},
}
TITLES = {"sent": "Ajanvaraus verkossa", "raised": "Pysäköinti", "b": "Kotihoidon aikataulut"}
# The open ideas each caller's queue lists (an owner's: those sent to their service).
QUEUED = {
    COORD: {TITLES["sent"], TITLES["raised"]},
    COORD_OTHER: {TITLES["b"]},
    OWNER: {TITLES["sent"]},
    OWNER_OTHER: set(),
    MANAGER: set(TITLES.values()),
}
# The move form on the sent idea: 303 back to the idea when it moved, the idea page with a 403 when refused.
MOVE = {COORD: 303, COORD_OTHER: 403, OWNER: 303, OWNER_OTHER: 403, MANAGER: 403}
# The clients send no Accept-Language: the pages speak Finnish.
READ_ONLY = catalog_for("fi")("You can read this page; coordinators and service representatives make the changes.")


@pytest.fixture
def web_url(uow_factory: Callable[[], SqlAlchemyUnitOfWork], clock: FixedClock, tmp_path: Path) -> Iterator[str]:
    settings = WebSettings(data_dir=tmp_path / "data", session_secret="role-matrix-pages-session-secret")
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: SIGNER, web_settings=settings)
    with serving(app) as url:
        yield url


@pytest.fixture
def browsers(
    web_url: str, world: World, uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> Iterator[dict[str, httpx.Client]]:
    """One signed-in client (its own session cookie) per caller, and one not signed in."""
    clients = {who: httpx.Client(base_url=web_url, timeout=10) for who in (*CALLERS, SIGNED_OUT)}
    try:
        for who in CALLERS:
            signed_in = sign_in(clients[who], world.emails[who], uow_factory=uow_factory, signer=SIGNER)
            assert signed_in.status_code == 303, signed_in.text
        yield clients
    finally:
        for client in clients.values():
            client.close()


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def path(world: World, page: str) -> str:
    return {
        "idea_sent": f"/ideas/{world.idea_sent}",
        "idea_raised": f"/ideas/{world.idea_raised}",
        "queue": "/queue",
        "dashboard": "/dashboard",
        "dashboard_a": f"/dashboard?panel={world.panel_a}",
        "outbox": "/outbox",
        "outbox_a": f"/outbox?panel={world.panel_a}&status=failed",
        "overview": "/overview",
        "materials_a": f"/meetings/{world.meeting_a}/materials",
        "prebrief_a": f"/meetings/{world.meeting_a}/prebrief",
        "panels": "/panels",
        "panel_a": f"/panels/{world.panel_a}",
        "members_a": f"/panels/{world.panel_a}/members",
        "meetings_a": f"/panels/{world.panel_a}/meetings",
        "schedule_a": f"/panels/{world.panel_a}/meetings/new",
        "meeting_a": f"/meetings/{world.meeting_a}",
        "meeting_edit_a": f"/meetings/{world.meeting_a}/edit",
        "reschedule_a": f"/meetings/{world.meeting_a}/reschedule",
        "cancel_a": f"/meetings/{world.meeting_a}/cancel",
        "room_a": f"/meetings/{world.meeting_a}/room",
        "wishes_a": f"/panels/{world.panel_a}/wishes",
        "rules_a": f"/panels/{world.panel_a}/rules",
        "surveys_a": f"/panels/{world.panel_a}/surveys",
        "staff": "/staff",
        "audit": "/audit",
        "settings": "/settings",
        "home": "/",
    }[page]


def written(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        events = connection.scalar(select(func.count()).select_from(EventRow))
        outbox = connection.scalar(select(func.count()).select_from(OutboxRow))
    return events, outbox


def test_each_caller_opens_the_pages_the_access_policy_allows_and_no_others(
    browsers: dict[str, httpx.Client], world: World, engine: Engine
) -> None:
    before = written(engine)

    seen = {(page, who): browsers[who].get(path(world, page)).status_code for page in EXPECTED for who in browsers}

    expected = {(page, who): EXPECTED[page].get(who, 303) for page in EXPECTED for who in browsers}
    assert seen == expected
    assert written(engine) == before  # reads write nothing


def test_each_callers_queue_lists_only_the_ideas_within_reach(browsers: dict[str, httpx.Client]) -> None:
    for who in CALLERS:
        queue = browsers[who].get("/queue").text
        assert {title for title in TITLES.values() if title in queue} == QUEUED[who], who


def test_the_move_form_is_offered_to_those_who_change_ideas_and_the_manager_reads_only(
    browsers: dict[str, httpx.Client], world: World
) -> None:
    for who in (COORD, OWNER, MANAGER):
        page = browsers[who].get(path(world, "idea_sent")).text
        offered = 'name="expected_version"' in page
        assert offered is (who != MANAGER), who
        assert (READ_ONLY in page) is (who == MANAGER), who
    assert READ_ONLY in browsers[MANAGER].get("/queue").text


@pytest.mark.parametrize("who", CALLERS)
def test_the_move_form_changes_the_idea_only_for_those_the_access_policy_allows(
    browsers: dict[str, httpx.Client], world: World, engine: Engine, who: str
) -> None:
    client = browsers[who]
    before = written(engine)
    form = {
        "to": "in_progress",
        "note": "Työ alkoi.",
        "expected_version": "2",
        "from": "idea",
        "csrf_token": csrf(client.get("/queue").text),
    }

    response = client.post(f"/ideas/{world.idea_sent}/move", data=form)

    assert response.status_code == MOVE[who], response.text
    if MOVE[who] == 303:
        assert response.headers["location"] == f"/ideas/{world.idea_sent}"
        # One event, and in the same transaction one outbox row per active member of panel A (two).
        assert written(engine) == (before[0] + 1, before[1] + 2)
    else:
        assert written(engine) == before
