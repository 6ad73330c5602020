"""``raati outbox status|dispatch|retry``: watching and draining the notification outbox."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from application.mail_retry import RetryMail, retry_failed_mail
from application.reads import views
from cli import context
from cli.options import JsonOption
from cli.output import local, print_json, say
from wiring import dispatch_rules, jitter, transport

log = logging.getLogger(__name__)
# The newest failed rows that ``raati outbox status`` lists.
FAILED_SHOWN = 50


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("dispatch")(dispatch)
    app.command("retry")(retry)


def status(as_json: JsonOption = False) -> None:
    """Counts by status, the age of the oldest pending row, and the failed rows with their reasons."""
    health = views.outbox_health(
        None, actor=context.operator(), uow=context.uow(), clock=context.clock(), failed_limit=FAILED_SHOWN
    )
    oldest = health.oldest_pending_at
    age = health.oldest_pending_age.total_seconds() if health.oldest_pending_age is not None else None
    if as_json:
        print_json(
            {
                "counts": health.counts,
                "oldest_pending": oldest.isoformat() if oldest else None,
                "oldest_pending_age_seconds": round(age, 1) if age is not None else None,
                "failed": [
                    {"id": m.id, "kind": m.kind, "email": m.email, "attempts": m.attempts, "reason": m.last_error}
                    for m in health.failed
                ],
            }
        )
        return
    say("Outbox: " + ", ".join(f"{n} {status}" for status, n in health.counts.items()))
    if oldest and age is not None:
        say(f"Oldest pending: {local(oldest)} ({_duration(age)} ago)")
    for m in health.failed:
        say(f"  failed  {m.id}  {m.kind}  {m.email}  after {m.attempts} attempt(s): {m.last_error}")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def dispatch(
    max_batches: Annotated[int | None, typer.Option(help="Stop after this many batches.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Send what is due now, in one pass over the outbox."""
    from application.delivery import dispatch as run_dispatch
    from wiring.logs import configure_logging

    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: the run's log lines (and its summary) as JSON
    queue = context.queue()
    due = queue.counts().get("pending", 0)
    started = datetime.now()
    with Progress(
        TextColumn("Sending"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=as_json,
        transient=False,
    ) as bar:
        task = bar.add_task("send", total=due)
        report = asyncio.run(
            run_dispatch(
                queue=queue,
                transport=transport(),
                composer=context.composer(),
                clock=context.clock(),
                rules=dispatch_rules(),
                jitter=jitter,
                max_batches=max_batches,
                progress=lambda n: bar.advance(task, n),
            )
        )
    seconds = (datetime.now() - started).total_seconds()
    summary = {
        "sent": report.sent,
        "emails": report.emails,
        "retried": report.retried,
        "failed": report.failed,
        "batches": report.batches,
        # Rows whose claim another dispatcher took over before their send or its mark: not sent by this run.
        "lost_leases": report.lost_leases,
        "seconds": round(seconds, 2),
        "errors": report.errors,
    }
    # For a log collector: the counts alone (an error's words may quote an address).
    log.info("dispatch finished", extra={k: v for k, v in summary.items() if k != "errors"})
    if as_json:
        print_json(summary)
        return
    say(
        f"Sent {report.sent} notification(s) in {report.emails} email(s); {report.retried} to retry later, "
        f"{report.failed} failed ({seconds:.1f} s)."
    )
    for reason, n in report.errors.items():
        say(f"  {n} × {reason}")


def retry(
    ids: Annotated[list[str] | None, typer.Argument(help="Outbox row ids to send again.")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="Every failed row.")] = False,
    panel: Annotated[str | None, typer.Option("--panel", help="Only this panel's rows (id or name).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Put failed rows back in the queue, to be sent at the next dispatch."""
    if not ids and not all_failed:
        raise typer.BadParameter("give row ids or --all-failed", param_hint="IDS")
    # The same use case as the outbox page's retry buttons.
    command = RetryMail(ids=None if all_failed else tuple(ids or ()), panel=panel)
    count = retry_failed_mail(command, actor=context.operator(), uow=context.uow(), clock=context.clock())
    if as_json:
        print_json({"requeued": count})
    else:
        say(f"Requeued {count} failed row(s).")
