"""What a send attempt comes to, independent of the SMTP library (``smtp.py`` produces these)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SendOutcome(StrEnum):
    SENT = "sent"
    # Worth trying again later: the server was down, dropped us, timed out or answered 4xx.
    TRANSIENT = "transient"
    # Will never go through as it is: the server refused the recipient with 5xx.
    PERMANENT = "permanent"
    # Not attempted: the sender no longer holds it (its claim was lost), so it is not ours to send.
    WITHHELD = "withheld"


@dataclass(frozen=True)
class SendResult:
    key: str
    outcome: SendOutcome
    detail: str = ""


class SmtpConfigurationError(Exception):
    """The SMTP settings or the server's set-up must change; retrying will not help."""
