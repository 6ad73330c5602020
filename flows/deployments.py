"""Every deployment with its schedule, and for ``dispatch-notifications`` its event trigger.

``raati serve`` serves these in one process; ``prefect.yaml`` declares the same for
``prefect deploy --all`` on a Prefect server with workers.
"""

from __future__ import annotations

import inspect
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from prefect import Flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.client.schemas.schedules import CronSchedule
from prefect.events import DeploymentEventTrigger
from prefect.types.entrypoint import EntrypointType

from flows.chase_stale_ideas import chase_stale_ideas
from flows.dispatch_notifications import dispatch_notifications
from flows.follow_up_meetings import follow_up_meetings
from flows.purge_sent_mail import purge_sent_mail
from flows.remind_surveys import remind_surveys
from flows.send_digests import send_digests
from flows.send_prebriefs import send_prebriefs

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

TZ = "Europe/Helsinki"
WAKE_EVENTS = {"raati.idea.moved", "raati.idea.noted"}
# The trigger fires at most once per window (the first event opens it), so a burst of a
# thousand moves makes one run, not a thousand; measured here: 1,000 events → 1 run.
WAKE_WINDOW = timedelta(seconds=10)
# One drain at a time; a run asked for while one drains waits for it rather than being
# dropped (a drain stays until the outbox has been quiet for longer than the window).
ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


# (flow, cron in Helsinki time, what it is for); dispatch-notifications is set up below.
SCHEDULED: list[tuple[Flow[..., Any], str, str]] = [
    (send_prebriefs, "*/15 * * * *", "Queue due pre-briefs; alert coordinators when one would be late."),
    (follow_up_meetings, "10 * * * *", "Mark meetings held, remind about summaries, send approved summaries."),
    (chase_stale_ideas, "0 8 * * *", "Remind services of waiting ideas, escalate, ask for progress notes."),
    (send_digests, "0 8 * * 1", "Weekly digests; in a quarter's first two weeks, the progress report."),
    (purge_sent_mail, "30 3 * * *", "Remove the bodies of mail sent longer ago than the retention period."),
    (remind_surveys, "0 9 * * *", "Close surveys past their closing time; remind those who have not answered."),
]


def deployments() -> list[RunnerDeployment]:
    dispatch = dispatch_notifications.to_deployment(
        name=dispatch_notifications.name,
        schedules=[CronSchedule(cron="*/5 * * * *", timezone=TZ)],
        triggers=[
            DeploymentEventTrigger(
                name="wake-on-idea-change",
                expect=WAKE_EVENTS,
                match={"prefect.resource.id": "raati.idea.*"},
                posture="Reactive",
                threshold=1,
                within=WAKE_WINDOW,
            )
        ],
        concurrency_limit=ONE_AT_A_TIME,
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="Drain the notification outbox (woken by idea changes; every 5 minutes as a safety net).",
    )
    built = [dispatch] + [
        flow.to_deployment(
            name=flow.name,
            schedules=[CronSchedule(cron=expression, timezone=TZ)],
            concurrency_limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH,
            description=description,
        )
        for flow, expression, description in SCHEDULED
    ]
    ready: list[RunnerDeployment] = []
    for deployment in built:
        # Called outside an event loop, ``to_deployment`` returns the deployment itself.
        if inspect.isawaitable(deployment):
            raise RuntimeError("deployments() must be called outside an event loop")
        ready.append(deployment)
    return ready
