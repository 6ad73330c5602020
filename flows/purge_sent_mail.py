"""``purge-sent-mail``: sent mail keeps its body only for ``RAATI_MAIL_RETENTION_DAYS`` (default 180), the staff's
audit trail its events for ``RAATI_AUDIT_RETENTION_DAYS`` (default 365)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

import wiring
from application.data_rights import purge_sent_mail as purge
from persistence.settings import DatabaseSettings
from wiring.logs import configure_logging


@task(name="remove-old-mail-bodies", retries=2, retry_delay_seconds=[5, 30])
def remove_old_mail_bodies() -> dict[str, Any]:
    done = purge(
        uow_factory=wiring.data_rights_uow,
        clock=wiring.clock(),
        retention_days=wiring.delivery_settings().mail_retention_days,
        audit_retention_days=DatabaseSettings().audit_retention_days,
    )
    return {
        "removed": done.removed,
        "before": done.before.isoformat(),
        "audit_removed": done.audit_removed,
        "sign_in_removed": done.sign_in_removed,
        "sessions_removed": done.sessions_removed,
    }


@flow(name="purge-sent-mail", log_prints=True)
def purge_sent_mail() -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    run = remove_old_mail_bodies()
    print(f"mail bodies removed: {run['removed']} (mail sent before {run['before']}); audit events removed: "
          f"{run['audit_removed']}; spent sign-in links and requests removed: {run['sign_in_removed']}; "
          f"old staff sessions removed: {run['sessions_removed']}")  # fmt: skip
    return run
