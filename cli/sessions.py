"""``raati user sessions EMAIL`` and ``raati user end-sessions EMAIL``: where a staff user is signed in, and signing
them out everywhere at once (the use case the settings and staff pages call; audited as ``sessions_ended``)."""

from __future__ import annotations

import typer

from application.access.identity import resolve_actor
from application.access.sessions import EndSessions, active_sessions, end_sessions
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import local, print_json, say
from domain.sign_in import StaffSession
from web.settings import WebSettings

METHODS = {"email_link": "email link", "oidc": "organisation account", "token": "API token"}


def session_json(session: StaffSession) -> dict[str, object]:
    return {
        "id": session.id,
        "method": session.method,
        "started_at": session.created_at.isoformat(),
        "last_seen_at": session.last_seen_at.isoformat(),
        "expires_at": session.expires_at.isoformat(),
        "client": session.client,
        "user_agent": session.user_agent,
    }


def register(user_app: typer.Typer) -> None:
    """Add the session commands to ``raati user``."""
    user_app.command("sessions")(user_sessions)
    user_app.command("end-sessions")(user_end_sessions)


def user_sessions(email: str, actor: AsOption = None, as_json: JsonOption = False) -> None:
    """List a staff user's open sessions, newest first (the operator; or a coordinator of their panels with --as)."""
    with context.uow() as uow:
        who = resolve_actor(uow, actor)
    # Open as the web app sees them: its idle and absolute timeouts (RAATI_SESSION_*), not the defaults.
    rules = WebSettings().session_rules()
    sessions = active_sessions(who, uow=context.uow(), clock=context.clock(), rules=rules, email=email)
    if as_json:
        print_json([session_json(s) for s in sessions])
        return
    if not sessions:
        say(f"{email} is not signed in anywhere.")
        return
    say(f"{email}: {len(sessions)} open session(s), newest first (time in Helsinki)")
    for s in sessions:
        method = METHODS.get(s.method, s.method)
        say(
            f"  {s.id}  {method}  started {local(s.created_at)}, last active {local(s.last_seen_at)}, {s.client or '–'}"
        )


def user_end_sessions(email: str, actor: AsOption = None, as_json: JsonOption = False) -> None:
    """Sign a staff user out everywhere: every open session ends at once (their API tokens keep working)."""
    command = EndSessions(email=email, actor=actor)
    ended = end_sessions(command, uow=context.uow(), clock=context.clock(), rules=WebSettings().session_rules())
    if as_json:
        print_json({"email": email, "sessions_ended": ended})
        return
    say(f"{email}: {ended} session(s) ended.")
