"""Hiding email addresses in text that people without the right to them read, such as SMTP failure reasons.

A mail server's reply quotes the refused address: ``550 5.1.1 <m0007@example.org>: Recipient address rejected``.
Shown with the address hidden it still says what went wrong: ``550 5.1.1 <…>: Recipient address rejected``.
"""

from __future__ import annotations

import re

HIDDEN_ADDRESS = "<…>"

# Anything in angle brackets with an @ in it: an SMTP path, ``<"a b"@example.org>`` and ``<x@[10.0.0.1]>`` included.
_BRACKETED = re.compile(r"<[^<>]*@[^<>]*>")
# A bare address: a quoted or plain local part, an @, then a domain (dotted or not, e.g. ``x@localhost``) or an
# address literal. Generous on purpose: hiding a little too much is harmless, showing an address is not.
_LOCAL = r'(?:"[^"\r\n]*"|[^\s<>()\[\]{},;:"\'@]+)'
_DOMAIN = r"(?:\[[^\]\s]*\]|[\w-]+(?:\.[\w-]+)*)"
_BARE = re.compile(rf"{_LOCAL}@{_DOMAIN}")


def hide_addresses(text: str) -> str:
    """``text`` with every email address replaced by ``<…>``; text without addresses comes back unchanged."""
    if "@" not in text:
        return text
    return _BARE.sub(HIDDEN_ADDRESS, _BRACKETED.sub(HIDDEN_ADDRESS, text))
