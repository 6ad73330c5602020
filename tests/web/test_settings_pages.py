"""The settings page (where one is signed in; personal API tokens), the coordinator's staff page (ending a user's
sessions) and the audit trail page, over HTTP on the API tests' two panels, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from application.access import audit
from application.access.accounts import SetUserActive, set_user_active
from domain.sign_in import AuditEvent
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL

NEW_TOKEN = re.compile(r'id="new-token"[^>]*value="([^"]+)"')
REVOKE = re.compile(r'action="/settings/tokens/(\d+)/revoke"')
# Codes that must never reach a person on these pages.
CODES = re.compile(r"\b(?:email_link|oidc|signed_in|sign_in_failed|token_created|sessions_ended|service_owner)\b")


@pytest.fixture
def api(app) -> Iterator[TestClient]:
    """A client of the API with no session: it sends a bearer token or nothing."""
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def api_status(api: TestClient, token: str) -> int:
    return api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def create_token(browser: TestClient, name: str, expires: str = "", **extra: str):
    form = browser.get("/settings")
    data = {"name": name, "expires": expires, "csrf_token": csrf(form.text), **extra}
    return browser.post("/settings/tokens", data=data)


def events(html: str) -> str:
    """The audit page's list of events, as read (the user filter aside)."""
    found = re.search(r'<ol class="queue audit-list">(.*?)</ol>', html, flags=re.S)
    return visible(found.group(1)) if found else ""


def signed_out(browser: TestClient, path: str = "/settings") -> bool:
    page = browser.get(path)
    return page.status_code == 303 and page.headers["location"].startswith("/sign-in")


def test_a_token_made_on_the_settings_page_works_shown_once_until_revoked(
    signed_in: Signed, world: World, api: TestClient
) -> None:
    owner = signed_in(OWNER, "en")

    made = create_token(owner, "Reporting integration")

    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    token = NEW_TOKEN.search(made.text).group(1)
    assert "Copy it now: it is shown only this once." in made.text
    assert api_status(api, token) == 200
    listed = owner.get("/settings")
    assert token not in listed.text  # a reload lists it without its value
    assert "Reporting integration" in listed.text
    assert "Until revoked" in listed.text
    assert api_status(api, world.tokens[OWNER]) == 200  # the script token stays beside it

    revoked = owner.post(
        f"/settings/tokens/{REVOKE.findall(listed.text)[0]}/revoke", data={"csrf_token": csrf(listed.text)}
    )

    assert revoked.status_code == 303
    assert api_status(api, token) == 401
    after = owner.get("/settings").text
    assert "The token “Reporting integration” is revoked and no longer works." in after
    assert api_status(api, world.tokens[OWNER]) == 200


def test_several_named_tokens_are_listed_newest_first_with_their_last_use(
    signed_in: Signed, world: World, api: TestClient, clock
) -> None:
    coordinator = signed_in(COORD, "en")
    first = NEW_TOKEN.search(create_token(coordinator, "Backup").text).group(1)
    clock.advance(minutes=5)
    create_token(coordinator, "Dashboard sync")
    clock.advance(minutes=5)
    assert api_status(api, first) == 200

    page = visible(coordinator.get("/settings").text)

    assert page.index("Dashboard sync") < page.index("Backup") < page.index("Command-line token")
    assert page.count("Never used") == 2  # the second named token and the script token
    assert "3 March 2025 at 11:10" in page  # Backup's last use, in Helsinki time


def test_a_token_with_a_last_day_stops_working_at_the_midnight_after_it(
    signed_in: Signed, api: TestClient, clock
) -> None:
    owner = signed_in(OWNER, "en")  # 2025-03-03 11:00 in Helsinki
    token = NEW_TOKEN.search(create_token(owner, "Today only", expires="2025-03-03").text).group(1)
    assert api_status(api, token) == 200

    clock.advance(hours=12, minutes=59)  # 23:59 in Helsinki
    assert api_status(api, token) == 200
    clock.advance(minutes=1)  # midnight

    assert api_status(api, token) == 401


@pytest.mark.parametrize(
    ("name", "expires", "control", "words"),
    [
        ("", "", "token-name", "Give the token a name"),
        ("x" * 81, "", "token-name", "The name can be at most 80 characters."),
        ("Backup", "2025-03-02", "token-expires", "The last day must be today or later."),
        ("Backup", "31.12.2025", "token-expires", "Write the last day as a date"),
        ("Backup", "2035-01-01", "token-expires", "at most five years"),
    ],
)
def test_a_refused_token_form_names_the_field_and_makes_no_token(
    signed_in: Signed, name: str, expires: str, control: str, words: str
) -> None:
    owner = signed_in(OWNER, "en")

    refused = create_token(owner, name, expires)

    assert refused.status_code == 422
    assert words in refused.text
    assert re.search(rf'id="{control}"[^>]*aria-invalid="true"', refused.text, flags=re.S)
    assert not NEW_TOKEN.search(refused.text)
    assert len(REVOKE.findall(owner.get("/settings").text)) == 1  # the script token only
    assert not LEAKS.search(visible(refused.text))


def test_a_token_form_without_its_csrf_token_is_refused(signed_in: Signed) -> None:
    owner = signed_in(OWNER, "en")

    refused = owner.post("/settings/tokens", data={"name": "Backup", "csrf_token": "forged"})

    assert refused.status_code == 403
    assert not NEW_TOKEN.search(refused.text)
    assert len(REVOKE.findall(owner.get("/settings").text)) == 1


def test_anothers_token_cannot_be_revoked(signed_in: Signed, api: TestClient) -> None:
    owner, other = signed_in(OWNER, "en"), signed_in(COORD, "en")
    token = NEW_TOKEN.search(create_token(owner, "Backup").text).group(1)
    token_id = REVOKE.findall(owner.get("/settings").text)[0]

    refused = other.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf(other.get("/settings").text)})

    assert refused.status_code == 404
    assert api_status(api, token) == 200


def test_the_settings_page_lists_where_one_is_signed_in_and_signs_out_everywhere_else(signed_in: Signed) -> None:
    here, there = signed_in(COORD, "en"), signed_in(COORD, "en")

    page = here.get("/settings")

    shown = visible(page.text)
    assert shown.count("This browser") == 1
    assert shown.count("email link") == 2
    assert "Last active" in shown
    assert not CODES.search(shown)
    ended = here.post("/settings/sessions/end", data={"which": "others", "csrf_token": csrf(page.text)})
    assert ended.status_code == 303
    assert "Signed out on 1 other browser or device." in here.get("/settings").text
    assert signed_out(there, "/queue")
    assert here.get("/queue").status_code == 200


def test_ending_all_sessions_signs_this_browser_out_too(signed_in: Signed) -> None:
    here, there = signed_in(OWNER, "en"), signed_in(OWNER, "en")

    ended = here.post("/settings/sessions/end", data={"which": "all", "csrf_token": csrf(here.get("/settings").text)})

    assert ended.status_code == 200
    assert "You are signed out everywhere" in ended.text
    assert signed_out(here)
    assert signed_out(there)


def test_a_coordinator_ends_the_sessions_of_their_panels_staff(signed_in: Signed, world: World) -> None:
    owner, coordinator = signed_in(OWNER), signed_in(COORD, "en")
    page = coordinator.get("/staff")
    assert page.status_code == 200
    shown = visible(page.text)
    assert "suu@ita.example" in shown
    assert "perhe@ita.example" in shown
    assert "koordinaattori@ita.example" in shown
    assert "koordinaattori@lansi.example" not in shown
    assert "johto@example.org" not in shown
    assert "service representative" in shown
    assert not CODES.search(shown)

    ended = coordinator.post("/staff/end-sessions", data={"email": "suu@ita.example", "csrf_token": csrf(page.text)})

    assert ended.status_code == 303
    assert "1 session of suu@ita.example ended: they must sign in again." in coordinator.get("/staff").text
    assert signed_out(owner, "/queue")
    assert coordinator.get("/staff").status_code == 200  # the coordinator's own session stays
    trail = coordinator.get("/audit?user=suu@ita.example").text
    assert "Sessions ended" in trail
    assert "koordinaattori@ita.example" in visible(trail)


def test_a_coordinator_cannot_end_another_panels_staffs_sessions(signed_in: Signed) -> None:
    owner, other = signed_in(OWNER), signed_in(COORD_OTHER, "en")
    page = other.get("/staff")
    assert "suu@ita.example" not in page.text

    refused = other.post("/staff/end-sessions", data={"email": "suu@ita.example", "csrf_token": csrf(page.text)})

    assert refused.status_code == 403
    assert owner.get("/queue").status_code == 200


@pytest.mark.parametrize("who", [OWNER, MANAGER])
def test_only_coordinators_have_the_staff_page(signed_in: Signed, who: str) -> None:
    reader = signed_in(who, "en")

    refused = reader.get("/staff")

    assert refused.status_code == 403
    assert not LEAKS.search(visible(refused.text))
    nav = reader.get("/settings").text
    assert 'href="/settings"' in nav
    assert 'href="/staff"' not in nav


def test_deactivating_a_user_ends_their_sessions_and_tokens(
    signed_in: Signed, world: World, api: TestClient, uow_factory, clock
) -> None:
    owner = signed_in(OWNER, "en")
    token = NEW_TOKEN.search(create_token(owner, "Backup").text).group(1)

    set_user_active(SetUserActive(email="suu@ita.example", active=False), uow=uow_factory(), clock=clock)

    assert signed_out(owner)
    assert api_status(api, token) == 401
    assert api_status(api, world.tokens[OWNER]) == 401


def test_the_audit_page_shows_a_coordinator_their_panels_staff_only(signed_in: Signed) -> None:
    signed_in(OWNER)
    signed_in(COORD_OTHER)
    coordinator = signed_in(COORD, "en")

    page = coordinator.get("/audit")

    shown = visible(page.text)
    assert page.status_code == 200
    assert "suu@ita.example" in shown
    assert "Signed in" in shown
    assert "email link" in shown
    assert "koordinaattori@lansi.example" not in shown
    assert not CODES.search(shown)
    assert 'value="suu@ita.example"' in page.text  # the filter offers the panel's staff
    only = events(coordinator.get("/audit?user=suu@ita.example").text)
    assert "suu@ita.example" in only
    assert "perhe@ita.example" not in only
    assert coordinator.get("/audit?user=koordinaattori@lansi.example").status_code == 403


def test_the_audit_page_shows_others_their_own_events_in_their_language(signed_in: Signed) -> None:
    signed_in(COORD)
    owner = signed_in(OWNER, "sv")

    page = owner.get("/audit")

    shown = visible(page.text)
    assert "Loggade in" in shown
    assert "e-postlänk" in shown
    assert "koordinaattori@ita.example" not in shown
    assert '<select id="user"' not in page.text  # nobody else's to choose
    assert owner.get("/audit?user=koordinaattori@ita.example").status_code == 403


def test_the_audit_page_pages_back_fifty_at_a_time(signed_in: Signed, uow_factory, clock) -> None:
    coordinator = signed_in(COORD, "en")
    with uow_factory() as uow:
        user = uow.users.by_email("koordinaattori@ita.example")
        for n in range(60):
            at = clock.now() + timedelta(seconds=n)
            audit.record(uow, AuditEvent.TOKEN_CREATED, user_id=user.stored_id, detail=f"token {n}", at=at)
        uow.commit()

    first = coordinator.get("/audit?user=koordinaattori@ita.example")

    assert events(first.text).count("API token created") == 50
    assert "“token 59”" in first.text
    assert "“token 10”" in first.text
    assert "“token 9”" not in first.text
    older = re.search(r'href="(/audit\?[^"]*before=\d+)"', first.text).group(1).replace("&amp;", "&")
    second = coordinator.get(older)
    assert "“token 9”" in second.text
    assert "“token 10”" not in second.text
    assert "Newest events" in second.text


def test_the_coordinators_navigation_has_staff_and_the_audit_trail(signed_in: Signed) -> None:
    nav = signed_in(COORD, "fi").get("/settings").text

    for href, words in (("/staff", "Henkilöstö"), ("/audit", "Tapahtumaloki"), ("/settings", "Asetukset")):
        assert re.search(rf'href="{href}"[^>]*>{words}<', nav)


def test_the_pages_ask_to_sign_in_first(api: TestClient) -> None:
    for path in ("/settings", "/staff", "/audit"):
        page = api.get(path, follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == f"/sign-in?next={path}"
