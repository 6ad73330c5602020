"""How a single sign-on can be refused, without the protocol library: the pages and the audit trail read these
even where the optional ``raati[sso]`` (Authlib) is not installed."""

from __future__ import annotations

# Refusals that mean the provider could not be used at all (not this person's sign-in): the pages say so.
UNREACHABLE = frozenset({"provider_unreachable", "discovery_issuer_mismatch", "discovery_incomplete", "keys_invalid"})


class Refused(Exception):
    """The sign-in cannot go on; ``reason`` is a short word for the audit trail (never a secret or an address)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
