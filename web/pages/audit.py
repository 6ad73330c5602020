"""The audit trail page: a staff user's own sign-ins, sign-outs, tokens and ended sessions, and for a coordinator
those of their panels' staff (``permissions.audit_users``), newest first, 50 at a time, filtered by user. The
events, methods and reasons in the reader's words (shared with the settings and staff pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from application.access.audit import list_audit
from application.reads.staff_users import audit_readers_users
from domain.errors import DomainError
from domain.sign_in import AuditEntry, AuditEvent, LinkProblem, SignInMethod
from domain.values import Role
from notifications.i18n import Catalog
from web.oidc_refusals import UNREACHABLE
from web.pages.context import Pages, sign_in_redirect

PAGE_SIZE = 50


def event_name(event: str, t: Catalog) -> str:
    names: dict[str, str] = {
        AuditEvent.SIGNED_IN: t.pgettext("audit event", "Signed in"),
        AuditEvent.SIGN_IN_FAILED: t.pgettext("audit event", "Sign-in failed"),
        AuditEvent.SIGNED_OUT: t.pgettext("audit event", "Signed out"),
        AuditEvent.LINK_REQUESTED: t.pgettext("audit event", "Asked for a sign-in link"),
        AuditEvent.TOKEN_CREATED: t.pgettext("audit event", "API token created"),
        AuditEvent.TOKEN_REVOKED: t.pgettext("audit event", "API token revoked"),
        AuditEvent.SESSIONS_ENDED: t.pgettext("audit event", "Sessions ended"),
    }
    return names.get(event, t.pgettext("audit event", "Other event"))


def method_name(method: str | None, t: Catalog) -> str:
    """How someone signed in, in words ("email link", "organisation account")."""
    names = {
        SignInMethod.EMAIL_LINK.value: t.pgettext("sign-in method", "email link"),
        SignInMethod.OIDC.value: t.pgettext("sign-in method", "organisation account"),
        SignInMethod.TOKEN.value: t.pgettext("sign-in method", "API token"),
    }
    return names.get(method or "", "–")


def role_name(role: Role, t: Catalog) -> str:
    names = {
        Role.COORDINATOR: t.pgettext("staff role", "coordinator"),
        Role.SERVICE_OWNER: t.pgettext("staff role", "service representative"),
        Role.MANAGER: t.pgettext("staff role", "manager"),
        Role.OPERATOR: t.pgettext("staff role", "operator"),
    }
    return names[role]


def failure_reason(detail: str, t: Catalog) -> str:
    reasons = {
        LinkProblem.USED.value: t.pgettext("sign-in failure", "the link had been used already"),
        LinkProblem.EXPIRED.value: t.pgettext("sign-in failure", "the link had expired"),
        LinkProblem.INVALID.value: t.pgettext("sign-in failure", "the link was not valid"),
        "email_not_verified": t.pgettext("sign-in failure", "the organisation did not confirm the email address"),
        "unknown_user": t.pgettext("sign-in failure", "no Raati user has the address"),
        "deactivated": t.pgettext("sign-in failure", "the user is deactivated"),
        "role_mapping_failed": t.pgettext("sign-in failure", "the role mapping names a panel or service Raati lacks"),
    }
    if detail in UNREACHABLE:
        return t.pgettext("sign-in failure", "the organisation's sign-in service could not be used")
    return reasons.get(detail, t.pgettext("sign-in failure", "the sign-in could not be verified"))


def event_detail(entry: AuditEntry, t: Catalog) -> str:
    """What an event's detail says, in words: a count, a token's name, a failure's reason; "" when nothing."""
    detail = entry.detail
    if entry.event == AuditEvent.SIGN_IN_FAILED:
        return failure_reason(detail, t) if detail else ""
    if entry.event == AuditEvent.SESSIONS_ENDED and detail and detail.isdigit():
        return t.ngettext("{count} session", "{count} sessions", int(detail))
    if entry.event in (AuditEvent.TOKEN_CREATED, AuditEvent.TOKEN_REVOKED):
        if detail is None:
            return t.pgettext("audit detail", "the command-line token")
        if detail.isdigit():
            return t.ngettext("{count} token", "{count} tokens", int(detail))
        return t.pgettext("audit detail", "“{name}”", name=detail)
    return ""


@dataclass(frozen=True)
class Line:
    """One event as the page shows it."""

    at: str
    event: str
    user: str
    by: str | None
    method: str
    client: str
    detail: str


def line_of(entry: AuditEntry, t: Catalog) -> Line:
    by = entry.actor_email if entry.actor_email and entry.actor_email != entry.user_email else None
    return Line(
        at=t.format_datetime(entry.at),
        event=event_name(entry.event, t),
        user=entry.user_email or t.pgettext("audit user", "unknown"),
        by=by,
        method=method_name(entry.method, t),
        client=entry.client or "–",
        detail=event_detail(entry, t),
    )


def audit_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    @router.get("/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request,
        user: Annotated[str, Query(max_length=254)] = "",
        before: Annotated[int | None, Query(ge=1)] = None,
    ) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        chosen = user.strip() or None
        try:
            entries = list_audit(
                actor, uow=pages.uow_factory(), user_email=chosen, limit=PAGE_SIZE + 1, before_id=before
            )
            users = audit_readers_users(actor, uow=pages.uow_factory())
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        shown = entries[:PAGE_SIZE]
        older = shown[-1].id if len(entries) > PAGE_SIZE else None
        return pages.page(
            request,
            "audit.html",
            actor=actor,
            lines=[line_of(entry, t) for entry in shown],
            users=users,
            chosen=chosen or "",
            older=older,
            paged=before is not None,
        )

    return router
