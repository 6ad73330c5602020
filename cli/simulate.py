"""``raati simulate``: a panel season on a virtual clock, its mail over SMTP into a sink, its promises checked.

The season runs on a fresh temporary SQLite database (or an empty one given with
``--database-url``), never on the user's own, and its mail goes to an in-process mail sink
on a free loopback port in a temporary folder, never to a configured relay. The flows run on
the deployments' schedules and triggers as ``prefect.yaml`` declares them.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.options import JsonOption
from notifications import kinds

if TYPE_CHECKING:
    from application.delivery import DispatchRules
    from application.simulation.facts import SentEmail
    from application.simulation.virtual_time import FlowSchedule, SeasonReport

# A Monday in late summer: 120 days cross the change to winter time and the turn of a quarter.
DEFAULT_START = datetime(2025, 8, 18, 6, 0, tzinfo=UTC)  # 09:00 in Helsinki


def run_simulation(
    days: int,
    seed: int,
    *,
    folder: Path,
    database_url: str | None = None,
    start: datetime = DEFAULT_START,
) -> SeasonReport:
    """Build the real adapters around a virtual clock and play the season; mail lands in ``folder/mail``."""
    import secrets

    from application.simulation.virtual_time import SimulationPorts, VirtualClock, simulate
    from cli.extras import require_mail_sink

    require_mail_sink("raati simulate (the season's mail goes to a mail sink of its own)")
    from cli.devtools.mailsink import MailSink
    from domain.errors import InvalidValue
    from notifications.composer import MailComposer
    from notifications.links import LinkSigner
    from notifications.render import Renderer
    from notifications.settings import DeliverySettings, SmtpSettings, TlsMode
    from notifications.smtp import SmtpTransport
    from persistence.delivery_queue import SqlAlchemyDeliveryQueue
    from persistence.engine import make_engine, make_session_factory
    from persistence.migrate import ensure_schema
    from persistence.unit_of_work import SqlAlchemyUnitOfWork

    schedules = flow_schedules()  # first: without prefect.yaml there is nothing to play
    engine = make_engine(database_url or f"sqlite:///{folder / 'simulation.sqlite3'}")
    try:
        ensure_schema(engine)  # an empty database is migrated; one behind the code is refused
        sessions = make_session_factory(engine)

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(sessions)  # no event publisher: nothing reaches a Prefect server

        with uow() as check:
            if check.panels.list():
                raise InvalidValue(
                    "database_url", "must point at an empty database: the simulation sends its whole outbox to its sink"
                )
        settings = DeliverySettings.model_construct()
        rules = dispatch_rules()
        clock = VirtualClock(start)
        mail = folder / "mail"
        with MailSink(mail, port=0) as sink:
            smtp = SmtpSettings.model_construct(host="127.0.0.1", port=sink.port, tls=TlsMode.NONE)
            composer = MailComposer(
                renderer=Renderer(base_url=settings.base_url),
                signer=LinkSigner(secrets.token_bytes(32)),
                sender=smtp.sender,
                base_url=settings.base_url,
                mail_domain=settings.mail_domain,
                clock=clock,
            )
            ports = SimulationPorts(
                uow_factory=uow,
                queue=SqlAlchemyDeliveryQueue(sessions),
                transport=SmtpTransport(smtp),
                composer=composer,
                rules=rules,
                sink_message_ids=lambda: sink_message_ids(mail),
            )
            return simulate(days, seed, ports=ports, clock=clock, schedules=schedules)
    finally:
        engine.dispose()


def flow_schedules() -> dict[str, FlowSchedule]:
    """Every deployment's schedules and the events its triggers expect, read from ``prefect.yaml``."""
    from application.simulation.virtual_time import FlowSchedule
    from flows.deployment_specs import load_deployment_specs

    return {spec.name: FlowSchedule(spec.schedules, spec.wake_events) for spec in load_deployment_specs()}


def dispatch_rules() -> DispatchRules:
    """The product's default delivery rules, not the environment's: a seed plays the same season everywhere."""
    from application.delivery import DispatchRules
    from domain.delivery import RetryRules
    from notifications.settings import DeliverySettings

    settings = DeliverySettings.model_construct()
    return DispatchRules(
        batch_size=settings.batch_size,
        lease=_seconds(settings.lease_seconds),
        coalesce=_seconds(settings.coalesce_seconds),
        digest=_seconds(settings.digest_days * 86400),
        retry=RetryRules(
            base=_seconds(settings.retry_base_seconds),
            cap=_seconds(settings.retry_max_seconds),
            max_attempts=settings.max_attempts,
            max_age=_seconds(settings.max_age_hours * 3600),
        ),
    )


def sink_message_ids(folder: Path) -> list[str]:
    """The Message-ID of every ``.eml`` file in the sink (without brackets), one per file."""
    from email.parser import BytesHeaderParser

    parser = BytesHeaderParser()
    found = []
    for path in sorted(folder.glob("*.eml")):
        with path.open("rb") as file:
            found.append(str(parser.parse(file).get("Message-ID", "")).strip().strip("<>"))
    return found


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def command(
    days: Annotated[int, typer.Option(min=1, max=730, help="How many days the season lasts.")] = 120,
    seed: Annotated[int, typer.Option(help="The random seed: the same seed plays the same season.")] = 1,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="An empty database to play in (default: a temporary SQLite).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Play a panel season on a virtual clock through the real use cases, then check the promises.

    Prints what was sent to whom and when (Helsinki time) and each check with PASS or FAIL;
    exit code 1 if any check fails.
    """
    from cli.output import print_json, say

    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="raati-simulate-") as folder:
        report = run_simulation(days, seed, folder=Path(folder), database_url=database_url)
    elapsed = time.perf_counter() - began
    if as_json:
        print_json(report.to_dict())
    else:
        _print_timeline(report)
        say("")
        _print_summary(report, elapsed)
    if not report.passed:
        raise typer.Exit(1)


def _print_timeline(report: SeasonReport) -> None:
    from cli.output import local, say

    lines: list[tuple[datetime, int, str]] = [(a.at, 0, f"· {a.actor}: {a.text}") for a in report.actions]
    groups: dict[tuple[object, ...], list[SentEmail]] = {}
    for email in report.sent:
        key = (email.at, email.kind, email.about, email.meeting, email.ideas, email.recipient_kind)
        groups.setdefault(key, []).append(email)
    for emails in groups.values():
        first = emails[0]
        kind = f"{first.kind} ({first.about})" if first.about else first.kind
        if first.recipient_kind == "member" and len(emails) > 3:
            to = f"{len(emails)} members"
        else:
            to = ", ".join(e.to for e in emails)
        what = []
        if first.meeting is not None:
            what.append(f"meeting {first.meeting}")
        if first.ideas and first.kind not in (kinds.SUMMARY, kinds.PROGRESS_REPORT):
            what.append(("ideas " if len(first.ideas) > 1 else "idea ") + ", ".join(map(str, first.ideas)))
        elif first.ideas:
            what.append(f"{len(first.ideas)} ideas")
        lines.append((first.at, 1, f"✉ {kind:<22} → {to}" + (f"  [{'; '.join(what)}]" if what else "")))
    say(f"Season of {report.days} days, seed {report.seed}: {local(report.start)} – {local(report.end)} (Helsinki)")
    for at, _, text in sorted(lines, key=lambda line: (line[0], line[1])):
        say(f"{local(at)}  {text}")


def _print_summary(report: SeasonReport, elapsed: float) -> None:
    from cli.output import say

    states = Counter(str(idea["state"]) for idea in report.ideas)
    kinds = Counter(e.kind for e in report.sent)
    late = sum(1 for m in report.meetings if m.late)
    say(
        f"Played {report.days} days in {elapsed:.1f} s: {len(report.meetings)} meetings ({late} late), "
        f"{len(report.ideas)} ideas ({', '.join(f'{n} {s}' for s, n in sorted(states.items()))}), "
        f"{len(report.sent)} emails ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})."
    )
    runs = [(flow.removesuffix(".runs"), n) for flow, n in sorted(report.runs.items()) if flow.endswith(".runs")]
    say("Flow runs (slots where something could be due): " + ", ".join(f"{flow} {n}" for flow, n in runs) + ".")
    for name, check in report.checks.items():
        say(f"{'PASS' if check.passed else 'FAIL'}  {name}: {check.detail}")
        for problem in check.problems:
            say(f"        {problem}")
    failed = [name for name, check in report.checks.items() if not check.passed]
    say("All checks passed." if not failed else f"{len(failed)} check(s) failed: {', '.join(failed)}.")
