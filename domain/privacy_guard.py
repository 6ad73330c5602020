"""The rule for text that leaves Raati: identifiers block it, health details need a coordinator's acknowledgement.

The acknowledgement is recorded as an event that names the kinds and spans, never the text itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.actors import Actor
from domain.errors import HealthDetailsNeedAcknowledgement, PermissionDenied, PrivacyBlocked
from domain.privacy_detectors import Finding, Kind, Severity, check_text


@dataclass(frozen=True)
class Acknowledgement:
    """Health details a coordinator let through, field by field."""

    findings: Mapping[str, tuple[Finding, ...]]

    def data(self) -> dict[str, Any]:
        """The event's data: kinds and spans per field, without the words found."""
        return {
            "kinds": sorted({f.kind.value for found in self.findings.values() for f in found}),
            "fields": {
                field: [{"kind": f.kind.value, "start": f.start, "end": f.end} for f in found]
                for field, found in self.findings.items()
            },
        }


def screen(
    texts: Mapping[str, str | None],
    *,
    actor: Actor,
    panel_id: int,
    acknowledge_health: bool = False,
    check_health: bool = True,
) -> Acknowledgement | None:
    """Check each outgoing text (by field name); None when there is nothing to acknowledge.

    Raises PrivacyBlocked for the first field with an identifier, then HealthDetailsNeedAcknowledgement
    unless ``acknowledge_health``; only a coordinator of the panel (or the operator) may acknowledge.
    ``check_health=False`` looks only for identifiers (a draft that does not leave yet).
    """
    found = {field: check_text(text) for field, text in texts.items() if text}
    for field, findings in found.items():
        blocking = [f for f in findings if f.severity is Severity.BLOCK]
        if blocking:
            raise PrivacyBlocked(field, blocking)
    health = {field: tuple(f for f in fs if f.kind is Kind.HEALTH) for field, fs in found.items()}
    health = {field: fs for field, fs in health.items() if fs}
    if not health or not check_health:
        return None
    if not acknowledge_health:
        first, details = next(iter(health.items()))
        raise HealthDetailsNeedAcknowledgement(first, details)
    if not actor.coordinates(panel_id):
        raise PermissionDenied(actor.name, "may not acknowledge health details; a coordinator of the panel must")
    return Acknowledgement(health)
