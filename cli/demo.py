"""``raati demo``: loads the pilot panel, delivers its mail into the sink, and shows what arrived."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from application.delivery import DispatchReport, dispatch
from application.demo.pilot import DemoClock, build_demo
from application.reads import views
from cli import context
from cli.devtools.mailbox import list_messages
from cli.extras import require_mail_sink
from cli.ideas import show
from cli.output import say
from cli.rules import say_participation_demo
from cli.surveys import say_survey_demo
from notifications.settings import TlsMode
from notifications.smtp import SmtpTransport
from persistence.settings import DatabaseSettings
from wiring import dispatch_rules, jitter


def run_demo(*, tell_sign_in: bool = True) -> tuple[str, ...]:
    """Load the demo panel and deliver its mail; the demo's staff addresses (who can sign in) are returned.
    ``tell_sign_in=False`` leaves saying how to sign in to the caller (``raati serve`` says it once, at the end)."""
    require_mail_sink("The demo panel (its mail goes to a mail sink of its own)")
    from cli.devtools.mailsink import MailSink

    folder = context.delivery_settings().sink_dir
    before = len(list_messages(folder))
    report = DispatchReport()
    rules = dispatch_rules()
    composer = context.composer()
    # The demo's mail always goes to an in-process sink, never to a configured relay.
    with MailSink(folder, port=0) as sink:
        smtp = context.smtp_settings().model_copy(
            update={"host": "127.0.0.1", "port": sink.port, "tls": TlsMode.NONE, "username": None}
        )
        transport = SmtpTransport(smtp)

        def deliver(clock: DemoClock) -> None:
            composer.clock = clock
            done = asyncio.run(
                dispatch(queue=context.queue(), transport=transport, composer=composer, clock=clock, rules=rules,
                         jitter=jitter)
            )  # fmt: skip
            report.sent += done.sent
            report.emails += done.emails
            report.failed += done.failed

        say(f"Loading the demo panel into {DatabaseSettings().url}")
        settle = rules.coalesce + timedelta(minutes=1)
        result = build_demo(
            context.uow, now=context.clock().now(), on_advance=deliver, settle=settle,
            survey_base_url=context.delivery_settings().base_url,
        )  # fmt: skip
    meetings = ", ".join(map(str, result.meeting_ids))
    say(f"Panel {result.panel_id}: two meetings ({meetings}), {len(result.ideas)} ideas.\n")
    say_participation_demo(result.panel_id, result.participation, first_meeting=result.meeting_ids[0])
    if result.privacy.stopped:
        say(f"Meeting {result.privacy.meeting_id} summary: the privacy guard stopped the first draft "
            f"({'; '.join(result.privacy.stopped)}); the coordinator removed the number and "
            f"{'approved' if result.privacy.approved else 'has not yet approved'} the edited summary "
            f"(raati meeting show {result.privacy.meeting_id}).\n")  # fmt: skip
    for idea in result.ideas:
        show(views.show_idea(idea.id, actor=context.operator(), uow=context.uow()), as_json=False)
        say("")
    say_survey_demo(result.survey_id)
    _summarise_mail(folder, before, report, minutes=int(rules.coalesce.total_seconds() // 60))
    if tell_sign_in:
        say_sign_in(result.staff)
    return result.staff


def say_sign_in(staff: Sequence[str]) -> None:
    """How a person signs in to the web app: their address at /sign-in, then the link the mail brings."""
    where = f"open {context.delivery_settings().base_url.rstrip('/')}/sign-in and type"
    if staff:
        owner, *others = staff
        coordinator = f"; the coordinator is {', '.join(others)}" if others else ""
        say(f"\nSign in to the web app (raati serve): {where} {owner} (a service owner{coordinator}).")
    else:
        say(f"\nSign in to the web app (raati serve): {where} your staff address.")
    say("  The link arrives by email within seconds: raati mail list, then raati mail show N, and open the link")
    say("  (with only raati web running, raati outbox dispatch sends it).")


def _summarise_mail(folder: Path, before: int, report: DispatchReport, *, minutes: int) -> None:
    mails = list_messages(folder)[before:]
    say(
        f"Delivered {report.sent} notifications as {report.emails} emails (a member's idea updates within "
        f"{minutes} min go out as one email); {report.failed} failed."
    )
    by_recipient: dict[str, list[str]] = defaultdict(list)
    for mail in mails:
        by_recipient[mail.to].append(f"[{mail.language}] {mail.subject}")
    say(f"What each recipient received ({len(mails)} emails, stored in {folder}):")
    for recipient, subjects in sorted(by_recipient.items()):
        say(f"  {recipient}: {len(subjects)} email(s)")
        for subject in subjects:
            say(f"      {subject}")
    if mails:
        first = mails[0].number
        say(f"\nRead them: raati mail list   raati mail show {first}   raati mail show {first} --html")
