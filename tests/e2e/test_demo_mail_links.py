"""Every link in every mail ``raati demo`` sends opens a page for its reader (issue 15, item 12 and Done-when 2).

As a person meets it: ``raati demo`` into a SQLite file, a new service representative added with the staff welcome
(``raati user add --welcome``), the flows of ``raati serve`` run once after it (today, and three weeks on, when the
waiting ideas are reminded and escalated), their mail delivered to ``raati mailsink``, and
``raati web`` serving the links. Each staff recipient signs in by the link their sign-in mail brings; each member's
link is opened without a session (it is signed). Every answer must be 2xx/3xx (a used one-time link: 410 with its
page) and end on an HTML page in the recipient's language; the test names the mail's kind, the recipient's role and
the link of each one that is not. Opening the links, as a mail scanner does, must change nothing in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from itertools import cycle
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import wiring
from application.delivery import dispatch
from application.ideas.chasing import chase_stale_ideas
from application.ideas.progress_reports import send_progress_reports
from application.meetings.follow_up import follow_up_meetings
from application.meetings.prebriefs import send_due_prebriefs
from application.ports.unit_of_work import UnitOfWork
from application.surveys import remind_open_surveys
from cli.devtools.mailbox import list_messages
from cli.devtools.processes import stop_group
from notifications import kinds
from notifications.outbox import RecipientKind
from tests.conftest import FixedClock
from tests.sign_in import ask_for_link, csrf_of
from tests.smtp.servers import unused_port

pytestmark = pytest.mark.slow  # the installed command, a web server and an SMTP server in subprocesses

RAATI = Path(sys.executable).parent / "raati"
# The kinds the mail must include (the demo's, the flows' after it, the sign-ins' and the newcomer's welcome), so
# that the test fails when one of them stops being sent and its links stop being followed.
DEMO_KINDS = {
    kinds.WELCOME,
    kinds.PREBRIEF,
    kinds.SUMMARY,
    kinds.IDEA_UPDATE,
    kinds.SURVEY_INVITATION,
    kinds.IDEA_SENT_TO_SERVICE,
    kinds.REMINDER,
    kinds.ESCALATION,
    kinds.SIGN_IN_LINK,
    kinds.STAFF_WELCOME,
}
# Staff mail whose link is also followed as clicked without a session: the sign-in page, the mailed link, the page.
STAFF_KINDS = {kinds.IDEA_SENT_TO_SERVICE, kinds.REMINDER, kinds.ESCALATION, kinds.STAFF_WELCOME}
NEWCOMER = "uusi.edustaja@raati.example.org"
HTML_LANG = re.compile(r"<html[^>]*\blang=\"([a-z]{2})\"", re.IGNORECASE)
TEXT_URL = re.compile(r"https?://[^\s<>\"]+")
# One-time links: once used (a sign-in link) or once the survey has closed (the demo closes its survey), the page
# says so with 410 Gone, in the reader's language. Every other link must answer 2xx or 3xx.
ONE_TIME = ("/survey/", "/sign-in/link/")


@dataclass(frozen=True)
class Mail:
    number: int
    kind: str
    to: str
    role: str  # "member", or the staff user's role
    language: str
    message: EmailMessage


@dataclass
class Checked:
    """One link of one mail, and how it answered."""

    mail: Mail
    url: str
    language: str  # the reader's language now: a member's, or the one a staff user chose (mail before it was fi)
    hops: list[tuple[int, str]] = field(default_factory=list)
    problem: str | None = None

    def __str__(self) -> str:
        trail = " → ".join(f"{status} {where}" for status, where in self.hops)
        return f"{self.mail.kind} to {self.mail.role} {self.mail.to} [{self.mail.language}]: {self.url} ({trail})" + (
            f": {self.problem}" if self.problem else ""
        )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links_of(message: EmailMessage) -> tuple[set[str], set[str]]:
    """The links of the HTML part (every ``href``) and of the text part (every web address)."""
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert isinstance(html, EmailMessage), message["Subject"]
    assert isinstance(text, EmailMessage), message["Subject"]
    parser = _Links()
    parser.feed(html.get_content())
    in_text = {url.rstrip(".,;:)") for url in TEXT_URL.findall(text.get_content())}
    return set(parser.hrefs), in_text


@contextlib.contextmanager
def running(command: list[str], *, env: dict[str, str], cwd: Path, log: Path, port: int) -> Iterator[None]:
    """A ``raati`` subprocess listening on ``port`` (waited for), stopped with its process group at the end."""
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text()
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                assert time.monotonic() < deadline, f"{command[1]} did not listen within 60 s:\n{log.read_text()}"
                time.sleep(0.2)
            yield
        finally:
            stop_group(process, signal.SIGTERM, grace=20)


def raati(*args: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run([str(RAATI), *args], env=env, cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, f"raati {' '.join(args)}: {done.stderr}\n{done.stdout}"
    return done.stdout


def run_flows_after_the_demo(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, *, days: tuple[int, ...]) -> None:
    """What ``raati serve``'s flows do by themselves after the demo, today and ``days`` on (the use cases the flows
    call, on a clock moved on), each run's mail dispatched to the sink as the dispatch flow does."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    wiring.reset()
    try:
        start = wiring.clock().now()
        for day in days:
            clock = FixedClock(start + timedelta(days=day))
            chase_stale_ideas(uow_factory=wiring.uow, clock=clock)
            send_due_prebriefs(uow_factory=wiring.uow, clock=clock)
            follow_up_meetings(uow_factory=wiring.uow, clock=clock)
            send_progress_reports(uow_factory=wiring.uow, clock=clock)
            remind_open_surveys(uow=wiring.uow(), clock=clock, base_url=wiring.delivery_settings().base_url)
            composer = wiring.composer()
            composer.clock = clock
            report = asyncio.run(
                dispatch(queue=wiring.queue(), transport=wiring.transport(), composer=composer, clock=clock,
                         rules=wiring.dispatch_rules(), jitter=wiring.jitter)
            )  # fmt: skip
            assert report.failed == 0, report
    finally:
        wiring.reset()  # before monkeypatch restores the environment: nothing built here survives


def delivered(env: dict[str, str], mail_dir: Path) -> list[Mail]:
    """Every mail in the sink with its kind and its recipient's role and language, from the outbox rows it carried
    (a mail's Message-ID is the one recorded on its rows)."""
    wiring.reset()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            with wiring.uow() as uow:
                rows = {row.sent_as: row for row in uow.outbox.list() if row.sent_as}
                roles = {row.email: _role(uow, row.email) for row in rows.values()}
        finally:
            wiring.reset()
    mails = []
    for stored in list_messages(mail_dir):
        message = BytesParser(policy=policy.default).parsebytes(stored.path.read_bytes())
        assert isinstance(message, EmailMessage)
        sent_as = str(message["Message-ID"]).strip("<> ")
        row = rows.get(sent_as)
        assert row is not None, f"mail {stored.number} ({message['Subject']}) came from no outbox row"
        member = row.recipient_kind is RecipientKind.MEMBER
        mails.append(
            Mail(
                number=stored.number,
                kind=row.email_kind or row.kind,
                to=row.email,
                role="member" if member else roles[row.email],
                language=str(message["Content-Language"]),
                message=message,
            )
        )
    return mails


def _role(uow: UnitOfWork, email: str) -> str:
    user = uow.users.by_email(email)
    return "member" if user is None else str(user.role.value)


def snapshot(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the SQLite file, to compare."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(map(tuple, db.execute(f'SELECT * FROM "{table}"')), key=repr) for table in tables}


def open_link(client: httpx.Client, checked: Checked, *, base: str, url: str | None = None) -> None:
    """Follow ``url`` (``checked.url`` unless given; redirects by hand, each hop recorded) and say what is wrong."""
    url = url or checked.url
    for _ in range(6):
        try:
            answer = client.get(url)
        except httpx.HTTPError as error:  # a server error that drops the connection: named like any other answer
            checked.problem = f"no answer: {error!r}"
            return
        path = urlsplit(url).path
        checked.hops.append((answer.status_code, path))
        gone = answer.status_code == 410 and path.startswith(ONE_TIME)
        if not (200 <= answer.status_code < 400 or gone):
            checked.problem = f"answered {answer.status_code}"
            return
        if answer.is_redirect:
            url = str(answer.next_request.url) if answer.next_request else ""
            if not url.startswith(base):
                checked.problem = f"redirected off the site to {url}"
                return
            continue
        if not answer.headers.get("content-type", "").startswith("text/html"):
            checked.problem = f"not a page: {answer.headers.get('content-type')}"
            return
        lang = HTML_LANG.search(answer.text)
        if lang is None or lang.group(1) != checked.language:
            checked.problem = f"page language {lang.group(1) if lang else None}, the reader's {checked.language}"
        return
    checked.problem = "more than five redirects"


def sign_in_by_mail(
    client: httpx.Client, email: str, *, deliver: Callable[[], object], mail_dir: Path, next: str = ""
) -> str:
    """Type the address into /sign-in, let the mail go out, and return the link it brought (not yet opened)."""
    before = {m.number for m in list_messages(mail_dir)}
    asked = ask_for_link(client, email, next=next)
    assert asked.status_code == 200, asked.text
    deadline = time.monotonic() + 30
    while True:
        deliver()
        arrived = [m for m in list_messages(mail_dir) if m.number not in before and m.to == email]
        if arrived:
            break
        assert time.monotonic() < deadline, f"no sign-in mail reached {email} within 30 s"
        time.sleep(0.3)
    message = BytesParser(policy=policy.default).parsebytes(arrived[-1].path.read_bytes())
    assert isinstance(message, EmailMessage)
    _, in_text = links_of(message)
    (link,) = [url for url in in_text if "/sign-in/link/" in url]
    return link


def as_colleague(browser: httpx.Client, url: str, language: str) -> str:
    """What a signed-in colleague sees at a staff link meant for someone else: a status, or a problem."""
    answer = browser.get(url, follow_redirects=True)
    lang = HTML_LANG.search(answer.text)
    kind = answer.headers.get("content-type", "")
    if answer.status_code not in (200, 403, 404) or not kind.startswith("text/html"):
        return f"problem: {answer.status_code} {kind}"
    if lang is None or lang.group(1) != language:
        return f"problem: a page in {lang and lang.group(1)}, the reader's {language}"
    return str(answer.status_code)


def lands_after_signing_in(
    client: httpx.Client, checked: Checked, *, base: str, deliver: Callable[[], object], mail_dir: Path
) -> None:
    """A staff link opened in a browser without a session: the sign-in page, the link by mail, then the page (or,
    for a link to the sign-in page itself, as in the staff welcome, the reader's home page)."""
    target = checked.url.removeprefix(base)
    asked = client.get(target)
    checked.hops.append((asked.status_code, urlsplit(target).path))
    where = urlsplit(asked.headers.get("location", ""))
    if urlsplit(target).path == "/sign-in" and asked.status_code == 200:
        next, expected = "", None
    elif asked.status_code == 303 and where.path == "/sign-in" and parse_qs(where.query).get("next") == [target]:
        next, expected = target, target
    else:
        checked.problem = f"without a session: {asked.status_code} to {asked.headers.get('location')}"
        return
    link = sign_in_by_mail(client, checked.mail.to, deliver=deliver, mail_dir=mail_dir, next=next)
    page = client.get(link)
    signed = client.post(link, data={"csrf_token": csrf_of(page.text)}) if page.status_code == 200 else page
    checked.hops.append((signed.status_code, "/sign-in/link/…"))
    landing = signed.headers.get("location", "")
    if signed.status_code != 303 or not landing.startswith("/") or landing != (expected or landing):
        checked.problem = f"signed in by the mailed link, then {signed.status_code} to {landing or None}"
        return
    open_link(client, checked, base=base, url=base + landing)


def test_every_link_in_every_mail_of_the_demo_opens_a_page_in_its_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_port, smtp_port = unused_port(), unused_port()
    base = f"http://127.0.0.1:{web_port}"
    data, mail_dir = tmp_path / "data", tmp_path / "data" / "mail"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_API_URL"))}
    env.update(
        RAATI_DATA_DIR=str(data),
        RAATI_BASE_URL=base,
        RAATI_SMTP_HOST="127.0.0.1",
        RAATI_SMTP_PORT=str(smtp_port),
        RAATI_SMTP_TLS="none",
        RAATI_COALESCE_SECONDS="0",
    )
    raati_env = {k: v for k, v in env.items() if k.startswith("RAATI_")}

    demo = raati("demo", env=env, cwd=tmp_path)
    staff = set(re.findall(r"[\w.]+@raati\.example\.org", demo.split("Sign in to the web app")[-1]))
    assert staff, demo
    # A second representative joins the demo's first service and gets the staff welcome (the sign-in page).
    raati("user", "add", NEWCOMER, "--role", "service_owner", "--panel", "1", "--service", "1", "--welcome",
          env=env, cwd=tmp_path)  # fmt: skip

    with (
        running([str(RAATI), "mailsink", "--port", str(smtp_port)], env=env, cwd=tmp_path,
                log=tmp_path / "mailsink.log", port=smtp_port),
        running([str(RAATI), "web", "--host", "127.0.0.1", "--port", str(web_port)], env=env, cwd=tmp_path,
                log=tmp_path / "web.log", port=web_port),
    ):  # fmt: skip
        browsers: dict[str, httpx.Client] = {}
        chosen: dict[str, str] = {}
        checks: list[Checked] = []
        deep_links: list[Checked] = []
        colleagues: list[str] = []
        stack = contextlib.ExitStack()
        with stack:

            def sign_in_everyone(emails: set[str]) -> None:
                """Each staff recipient signs in as people do: the address at /sign-in, then the mailed link."""
                for email in sorted(emails - browsers.keys()):
                    browser = stack.enter_context(httpx.Client(base_url=base, follow_redirects=False, timeout=20))
                    link = sign_in_by_mail(
                        browser, email, deliver=lambda: raati("outbox", "dispatch", env=env, cwd=tmp_path),
                        mail_dir=mail_dir,
                    )  # fmt: skip
                    page = browser.get(link)
                    assert page.status_code == 200, (email, link, page.status_code)
                    signed = browser.post(link, data={"csrf_token": csrf_of(page.text)})
                    assert signed.status_code == 303, (email, signed.status_code, signed.text[:500])
                    browsers[email] = browser

            # What the demo left queued (the coordinator's summary reminders), delivered as the README says.
            assert json.loads(raati("outbox", "dispatch", "--json", env=env, cwd=tmp_path))["failed"] == 0
            sign_in_everyone(staff | {m.to for m in delivered(raati_env, mail_dir) if m.role != "member"})
            # Staff in each language: each chooses one with the page's switcher (saved with their account), and the
            # flows' mail then comes in it. The switcher's cookie is dropped: the pages must follow the account.
            for email, language in zip(sorted(browsers), cycle(("en", "fi", "sv")), strict=False):
                home = browsers[email].get("/queue")
                switched = browsers[email].post(
                    "/language", data={"language": language, "next": "/queue", "csrf_token": csrf_of(home.text)}
                )
                assert switched.status_code == 303, (email, switched.status_code)
                browsers[email].cookies.delete("raati_lang")
                chosen[email] = language
            run_flows_after_the_demo(raati_env, monkeypatch, days=(0, 21))
            sign_in_everyone({m.to for m in delivered(raati_env, mail_dir) if m.role != "member"})
            mails = delivered(raati_env, mail_dir)
            status = json.loads(raati("outbox", "status", "--json", env=env, cwd=tmp_path))
            assert (status["counts"]["pending"], status["counts"]["failed"]) == (0, 0), "some mail was not delivered"
            anonymous = stack.enter_context(httpx.Client(follow_redirects=False, timeout=20))

            before = snapshot(data / "raati.sqlite3")
            external: set[str] = set()
            for mail in mails:
                in_html, in_text = links_of(mail.message)
                web_links = {u for u in in_html | in_text if u.startswith(("http://", "https://"))}
                assert {u for u in in_html if u.startswith(base)} == {u for u in in_text if u.startswith(base)}, (
                    f"mail {mail.number} ({mail.kind}): the HTML and the text part link different pages"
                )
                for href in in_html - web_links:
                    assert re.match(r"(mailto:[^@\s]+@[^@\s]+|tel:\+?[0-9]{5,})\Z", href), (mail.kind, href)
                external |= {u for u in web_links if not u.startswith(base)}
                if mail.role == "member":  # the mail client's unsubscribe button leads to the same page
                    targets = re.findall(r"<(https?://[^>]+)>", str(mail.message["List-Unsubscribe"]))
                    assert targets, f"mail {mail.number} ({mail.kind}) has no List-Unsubscribe link"
                    assert set(targets) <= web_links, (mail.kind, targets)
                for url in sorted(u for u in web_links if u.startswith(base)):
                    # A sign-in link was opened to sign in (200 and the button, above); opened again, in a browser
                    # without a session, it says it was used, in the language the mail was written in. Member links
                    # are signed: they open without a session.
                    if mail.kind == kinds.SIGN_IN_LINK:
                        checked, reader = Checked(mail, url, mail.language), anonymous
                    else:
                        checked = Checked(mail, url, chosen.get(mail.to, mail.language))
                        reader = browsers.get(mail.to, anonymous)
                    open_link(reader, checked, base=base)
                    checks.append(checked)
            changed = {table for table, rows in snapshot(data / "raati.sqlite3").items() if rows != before.get(table)}

            # A staff link forwarded to a colleague: whatever they may see, the answer is a page in their language
            # (the page, or a 403/404 page with a way back), never raw JSON.
            for url in sorted({c.url for c in checks if c.mail.role != "member" and c.mail.kind != kinds.SIGN_IN_LINK}):
                for email, browser in browsers.items():
                    told = as_colleague(browser, url, chosen.get(email, "fi"))
                    colleagues.append(f"{url} opened by {email}: {told}")

            # Clicked in the mail with no session yet: one link of each kind of staff mail leads through the sign-in
            # page and the mailed link to the page it is about.
            first: dict[str, Checked] = {}
            for checked in checks:
                if checked.mail.role != "member" and checked.mail.kind != kinds.SIGN_IN_LINK:
                    first.setdefault(checked.mail.kind, checked)
            for checked in first.values():
                fresh = stack.enter_context(httpx.Client(base_url=base, follow_redirects=False, timeout=20))
                deep = Checked(checked.mail, checked.url, checked.language)
                lands_after_signing_in(
                    fresh, deep, base=base, deliver=lambda: raati("outbox", "dispatch", env=env, cwd=tmp_path),
                    mail_dir=mail_dir,
                )  # fmt: skip
                deep_links.append(deep)

    for checked in checks:
        print(checked)
    for checked in deep_links:
        print("after signing in:", checked)
    for told in colleagues:
        print("forwarded:", told)
    seen = sorted({(c.mail.kind, c.mail.role, c.mail.language) for c in checks})
    print(f"{len(checks)} links in {len(mails)} mails; kinds, roles and languages: {seen}")
    print(f"links outside the app, written by a coordinator (not opened): {sorted(external)}")
    assert checks, "the demo's mail links nothing"
    # Raati's own links are built from RAATI_BASE_URL: none leads to another address of this machine.
    assert not [u for u in external if urlsplit(u).hostname in {"127.0.0.1", "localhost"}], sorted(external)
    assert {c.mail.kind for c in checks} >= DEMO_KINDS, "the demo or its flows stopped sending a kind of mail"
    assert {c.mail.role for c in checks} >= {"member", "coordinator", "service_owner"}
    assert {c.mail.language for c in checks} == {"fi", "sv", "en"}
    assert {c.mail.language for c in checks if c.mail.role != "member"} == {"fi", "sv", "en"}
    # Opening a link, as a mail scanner does before the reader, decides nothing (no unsubscribing, no acknowledged
    # rules, no used survey link): only a form sent from the page does. A session's last activity may move on.
    assert changed <= {"staff_sessions"}, f"opening the links changed {sorted(changed)}"
    assert {c.mail.kind for c in deep_links} >= STAFF_KINDS, "a kind of staff mail was not followed after signing in"
    broken = [str(c) for c in checks if c.problem] + [f"after signing in: {c}" for c in deep_links if c.problem]
    broken += [f"forwarded: {told}" for told in colleagues if "problem" in told]
    assert not broken, "links that do not open a page for their reader:\n" + "\n".join(broken)
