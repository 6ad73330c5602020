"""``raati audit list``: the audit trail of staff access, for the operator (every event, newest first).

``--json`` prints a list of objects with stable field names, a contract for scripts: ``at`` (ISO 8601, UTC),
``event`` (signed_in, sign_in_failed, signed_out, link_requested, token_created, token_revoked, sessions_ended),
``user`` and ``actor`` (email addresses or null), ``method`` (email_link, oidc, token or null), ``client`` (a
network such as 203.0.113.0/24, never a full address, or null) and ``detail`` (a count, a token's name or a
failure's reason, or null)."""

from __future__ import annotations

from typing import Annotated

import typer

from application.access.audit import MAX_LIMIT, list_audit
from cli import context
from cli.options import JsonOption
from cli.output import local, print_json, say
from domain.sign_in import AuditEntry, AuditEvent

app = typer.Typer(
    help="The audit trail of staff access: sign-ins, sign-outs, tokens, ended sessions.", no_args_is_help=True
)

EVENTS = {
    AuditEvent.SIGNED_IN.value: "signed in",
    AuditEvent.SIGN_IN_FAILED.value: "sign-in failed",
    AuditEvent.SIGNED_OUT.value: "signed out",
    AuditEvent.LINK_REQUESTED.value: "asked for a sign-in link",
    AuditEvent.TOKEN_CREATED.value: "API token created",
    AuditEvent.TOKEN_REVOKED.value: "API token revoked",
    AuditEvent.SESSIONS_ENDED.value: "sessions ended",
}
METHODS = {"email_link": "email link", "oidc": "organisation account", "token": "API token"}


def audit_json(entry: AuditEntry) -> dict[str, object]:
    return {
        "at": entry.at.isoformat(),
        "event": entry.event,
        "user": entry.user_email,
        "actor": entry.actor_email,
        "method": entry.method,
        "client": entry.client,
        "detail": entry.detail,
    }


@app.command("list")
def audit_list(
    user: Annotated[str | None, typer.Option("--user", help="Only the events of this staff user (email).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="At most this many events.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List the audit trail, newest first: time (Helsinki), event, user, method, network."""
    entries = list_audit(context.operator(), uow=context.uow(), user_email=user, limit=limit)
    if as_json:
        print_json([audit_json(e) for e in entries])
        return
    if not entries:
        say("No audit events" + (f" for {user}." if user else "."))
        return
    say(f"Audit trail: {len(entries)} event(s), newest first (time in Helsinki; event, user, method, network)")
    for e in entries:
        event = EVENTS.get(e.event, e.event)
        method = METHODS.get(e.method or "", e.method or "–")
        detail = _detail(e)
        line = f"  {local(e.at)}  {event:<24}  {e.user_email or '–'}  {method}  {e.client or '–'}"
        say(line + (f"  ({detail})" if detail else ""))


def _detail(entry: AuditEntry) -> str:
    parts = [entry.detail] if entry.detail else []
    if entry.actor_email and entry.actor_email != entry.user_email:
        parts.append(f"by {entry.actor_email}")
    return "; ".join(parts)
