"""Prometheus counters of mail delivery: each email the relay accepted, and each attempt that failed, by a small
class of reason (never the server's words, which may quote an address)."""

from __future__ import annotations

import re

from prometheus_client import Counter

from notifications.transport import SendOutcome, SendResult

MAIL_SENT = Counter("raati_mail_sent_total", "Emails the mail relay accepted.")
MAIL_FAILED = Counter(
    "raati_mail_failed_total",
    "Send attempts that failed, by reason class: rejected and unsendable are permanent (the rows fail), "
    "deferred, connection and smtp_error are tried again later.",
    ["reason"],
)
REASONS = ("rejected", "unsendable", "deferred", "connection", "smtp_error")
_CODE = re.compile(r"^([45])\d\d\b")


def reason_class(result: SendResult) -> str:
    """The class of a failed attempt, from what notifications/smtp.py wrote in its detail."""
    code = _CODE.match(result.detail)
    if result.outcome is SendOutcome.PERMANENT:
        return "rejected" if code else "unsendable"
    if code and code.group(1) == "4":
        return "deferred"
    if result.detail.startswith("SMTP error"):
        return "smtp_error"
    return "connection"


def count_result(result: SendResult) -> None:
    if result.outcome is SendOutcome.SENT:
        MAIL_SENT.inc()
    elif result.outcome is not SendOutcome.WITHHELD:  # withheld: another dispatcher's to send, not a failure
        MAIL_FAILED.labels(reason=reason_class(result)).inc()


for _reason in REASONS:  # every class shows from the start, at 0: an alert on a rate needs the series to exist
    MAIL_FAILED.labels(reason=_reason)
