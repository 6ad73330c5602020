"""The panel pages: ``/panels`` (the panels one may read, and "Create a panel" for whom the access policy lets create
one), ``/panels/{id}`` (its timing, settings, services and their owners). Each form calls the use case its command
calls: ``raati panel create`` / ``panel update`` / ``service add`` / ``user add --role service_owner``
(``roster.add_user``: the same grant, without an API token that nobody would see)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.access import permissions
from application.commands import AddService, AddUser, CreatePanel, UpdatePanel
from application.people.public_page import SetPublicPage, set_public_page
from application.people.roster import add_service, add_user, create_panel, update_panel
from application.reads.panel_pages import panel_page, panels_page
from domain.actors import Actor
from domain.errors import AlreadyExists, DomainError, InvalidValue, NotFound, PermissionDenied
from domain.panels import DAY_LIMITS, Panel
from domain.values import Role
from notifications.i18n import Catalog
from web.pages.context import Pages, SignedForm, sign_in_redirect

_TOO_LONG = re.compile(r"is (\d+) characters; at most (\d+)")


@dataclass(frozen=True)
class FormProblem:
    """A refused form, shown again: which form, the control it is about, the sentence, and what was sent."""

    form: str = ""
    control: str = ""
    message: str = ""
    sent: dict[str, str] = field(default_factory=dict)


def panel_labels(t: Catalog) -> dict[str, str]:
    """Each control of the panel forms (and the field a use case names for it) as the form calls it."""
    return {
        "name": t("Name in Finnish"),
        "translations.sv.name": t("Name in Swedish"),
        "translations.en.name": t("Name in English"),
        "contact.name": t("Contact person's name"),
        "contact.email": t("Contact person's email"),
        "contact.phone": t("Contact person's phone"),
        "contact": t("Contact person's name"),
        "lead_days": t("Days before the meeting the pre-brief goes out"),
        "summary_due_days": t("Days after the meeting the summary is due"),
        "stale_days": t("Days an idea may wait before its service is reminded"),
        "progress_note_days": t("Days between the progress notes asked of a service"),
        "service_name": t("Service name"),
        "email": t("Email address"),
        "service": t("Service"),
        "language": t("Their language in Raati"),
        "public_slug": t("Address of the public page"),
        "public_page": t("Public page"),
    }


CONTROLS = {
    "translations.sv.name": "name_sv",
    "translations.en.name": "name_en",
    "contact.name": "contact_name",
    "contact": "contact_name",
    "contact.email": "contact_email",
    "contact.phone": "contact_phone",
}


def field_problem(error: DomainError, t: Catalog, labels: dict[str, str], *, default: str) -> tuple[str, str]:
    """The control a refused value is about and a sentence naming it; ``default`` when the error names no control."""
    name = str(getattr(error, "field", "") or "")
    control = CONTROLS.get(name, name if name in labels else default)
    label = labels.get(name, labels.get(default, t("the form")))
    if isinstance(error, AlreadyExists):
        return control, t("“{field}” is already in use.", field=label)
    if isinstance(error, NotFound):
        return control, t("Check “{field}”: it cannot be saved as it is.", field=label)
    reason = str(getattr(error, "reason", ""))
    too_long = _TOO_LONG.search(reason)
    if name == "public_slug" and not isinstance(error, AlreadyExists):
        message = t(
            "Write “{field}” with 3 to 60 characters: lowercase letters a–z, digits and hyphens, such as {example}.",
            field=label,
            example="itainen-raati",
        )
    elif name in DAY_LIMITS:
        lowest, highest = DAY_LIMITS[name]
        message = t(
            "Write “{field}” as a whole number from {minimum} to {maximum}.",
            field=label,
            minimum=lowest,
            maximum=highest,
        )
        if name == "lead_days":
            message += " " + t("Members must have the pre-brief no later than 3 days before the meeting.")
    elif too_long:
        message = t(
            "“{field}” is {length} characters long; shorten it to at most {maximum}.",
            field=label,
            length=too_long.group(1),
            maximum=too_long.group(2),
        )
    elif "required" in reason or reason == "is empty" or "needs a name" in reason or "needs an email" in reason:
        message = t("“{field}” is empty: fill it in.", field=label)
    elif "single line" in reason:
        message = t("Write “{field}” on a single line.", field=label)
    elif "email address" in reason:
        message = t("Check “{field}”: write a whole email address, such as name@example.fi.", field=label)
    elif "phone number" in reason:
        message = t("Check “{field}”: write a phone number with digits, such as 09 310 12345.", field=label)
    elif "already a" in reason or "another service" in reason:
        message = t("{email} already has another role in Raati, so they cannot be added here.", email=_email(reason))
    else:
        message = t("Check “{field}”: it cannot be saved as it is.", field=label)
    return control, message


def _email(reason: str) -> str:
    return reason.split(" ", 1)[0]


def name_texts(sv: str, en: str, *, keep_empty: bool) -> dict[str, Any] | None:
    """The panel's Swedish and English names as a command's ``translations``; an empty one removes it on update."""
    given = {code: {"name": text} for code, text in (("sv", sv), ("en", en)) if text or keep_empty}
    return given or None


def changes(panel: Panel, sent: dict[str, str], *, actor: str) -> UpdatePanel:
    """The settings form as ``raati panel update``'s command, with only what differs from the panel as it is (so
    that saving the form unchanged changes nothing and logs nothing)."""
    before = panel.translations.as_json()
    texts = {
        code: {"name": sent[f"name_{code}"]}
        for code in ("sv", "en")
        if sent[f"name_{code}"] != before.get(code, {}).get("name", "")
    }
    contact = panel.contact
    now = (contact.name, contact.email, contact.phone or "") if contact else ("", "", "")
    given = (sent["contact_name"], sent["contact_email"], sent["contact_phone"])
    same_contact = given == now
    return UpdatePanel(
        panel=str(panel.stored_id),
        name=sent["name"] if sent["name"] != panel.name else None,
        translations=texts or None,
        contact_name=None if same_contact else given[0],
        contact_email=None if same_contact else given[1],
        contact_phone=None if same_contact else given[2],
        actor=actor,
    )


def whole_days(sent: dict[str, str]) -> dict[str, int]:
    """The timing form's numbers; one that is not a whole number is refused naming its field."""
    days = {}
    for name, given in sent.items():
        if not given.isdigit() or len(given) > 4:
            raise InvalidValue(name, "is not a whole number of days")
        days[name] = int(given)
    return days


def text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()[:1000]


def panels_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def list_page(request: Request, actor: Actor, *, problem: FormProblem | None = None) -> HTMLResponse:
        listed = panels_page(actor, uow=pages.uow_factory())
        return pages.page(
            request,
            "panels.html",
            actor=actor,
            status=422 if problem else 200,
            panels=listed,
            may_create=permissions.may_create_panels(actor),
            problem=problem or FormProblem(),
        )

    def one_page(request: Request, actor: Actor, panel_id: int, *, problem: FormProblem | None = None) -> Response:
        try:
            shown = panel_page(actor, panel_id, uow=pages.uow_factory())
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        return pages.page(
            request,
            "panel.html",
            actor=actor,
            status=422 if problem else 200,
            shown=shown,
            problem=problem or FormProblem(),
        )

    @router.get("/panels", response_class=HTMLResponse)
    def panels(request: Request) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            return list_page(request, actor)
        except DomainError as error:
            return pages.problem(request, error, actor=actor)

    @router.post("/panels")
    async def create(request: Request) -> Response:
        signed = await pages.signed_form(request, back="/panels")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        sent = {k: text(form, k) for k in ("name", "name_sv", "name_en", "contact_name", "contact_email")}
        try:
            panel = create_panel(
                CreatePanel(
                    name=sent["name"],
                    translations=name_texts(sent["name_sv"], sent["name_en"], keep_empty=False),
                    contact_name=sent["contact_name"] or None,
                    contact_email=sent["contact_email"] or None,
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except PermissionDenied as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control, message = field_problem(error, t, panel_labels(t), default="name")
            return list_page(request, actor, problem=FormProblem("create", control, message, sent))
        request.session["flash"] = t("The panel “{name}” is created.", name=panel.name)
        return RedirectResponse(f"/panels/{panel.id}", status_code=303)

    @router.get("/panels/{panel_id}", response_class=HTMLResponse)
    def panel(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return one_page(request, actor, panel_id)

    @router.post("/panels/{panel_id}/settings")
    async def settings(request: Request, panel_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        names = ("name", "name_sv", "name_en", "contact_name", "contact_email", "contact_phone")
        sent = {k: text(form, k) for k in names}
        try:
            update_panel(
                changes(panel_page(actor, panel_id, uow=pages.uow_factory()).panel, sent, actor=actor.name),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control, message = field_problem(error, t, panel_labels(t), default="name")
            return one_page(request, actor, panel_id, problem=FormProblem("settings", control, message, sent))
        request.session["flash"] = t("The panel's settings are saved.")
        return RedirectResponse(f"/panels/{panel_id}#settings", status_code=303)

    @router.post("/panels/{panel_id}/timing")
    async def timing(request: Request, panel_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}#timing")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        sent = {name: text(form, name) for name in DAY_LIMITS}
        try:
            days = whole_days(sent)
            update_panel(
                UpdatePanel(
                    panel=str(panel_id),
                    lead_days=days["lead_days"],
                    summary_due_days=days["summary_due_days"],
                    stale_days=days["stale_days"],
                    progress_note_days=days["progress_note_days"],
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control, message = field_problem(error, t, panel_labels(t), default="lead_days")
            return one_page(request, actor, panel_id, problem=FormProblem("timing", control, message, sent))
        request.session["flash"] = t("The panel's timing is saved.")
        return RedirectResponse(f"/panels/{panel_id}#timing", status_code=303)

    @router.post("/panels/{panel_id}/public")
    async def public(request: Request, panel_id: int) -> Response:
        """The public page on or off and its address: ``set_public_page``, as ``raati panel update --public-page``."""
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}#public")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        sent = {"public_page": text(form, "public_page"), "public_slug": text(form, "public_slug")}
        try:
            panel = set_public_page(
                SetPublicPage(
                    panel=str(panel_id),
                    public_page=sent["public_page"] == "on",
                    public_slug=sent["public_slug"],
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control, message = field_problem(error, t, panel_labels(t), default="public_slug")
            return one_page(request, actor, panel_id, problem=FormProblem("public", control, message, sent))
        request.session["flash"] = (
            t("The public page is on: /p/{slug}", slug=panel.public_slug)
            if panel.public_page
            else t("The public page is off.")
        )
        return RedirectResponse(f"/panels/{panel_id}#public", status_code=303)

    @router.post("/panels/{panel_id}/services")
    async def service(request: Request, panel_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}#services")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        sent = {"service_name": text(form, "service_name")}
        try:
            added, _ = add_service(
                AddService(name=sent["service_name"], panel=str(panel_id), actor=actor.name),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control, message = field_problem(error, t, panel_labels(t), default="service_name")
            control = "service_name"  # the service's name is the form's one text
            return one_page(request, actor, panel_id, problem=FormProblem("service", control, message, sent))
        request.session["flash"] = t("The service “{name}” is added to the panel.", name=added.name)
        return RedirectResponse(f"/panels/{panel_id}#services", status_code=303)

    @router.post("/panels/{panel_id}/owners")
    async def owner(request: Request, panel_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}#services")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        sent = {
            "email": text(form, "email"),
            "service": text(form, "service"),
            "language": text(form, "language"),
            "welcome": text(form, "welcome"),
        }
        try:
            if not sent["service"].isdigit():
                raise InvalidValue("service", "is required and may not be empty")
            user = add_user(
                AddUser(
                    email=sent["email"],
                    role=Role.SERVICE_OWNER,
                    panel=str(panel_id),
                    service=sent["service"],
                    language=sent["language"] or None,
                    welcome=sent["welcome"] == "yes",
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except PermissionDenied as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control, message = field_problem(error, t, panel_labels(t), default="email")
            key = f"owner-{sent['service']}"
            return one_page(request, actor, panel_id, problem=FormProblem(key, control, message, sent))
        request.session["flash"] = (
            t(
                "{email} is now a representative of the service. A welcome mail tells them how to sign in.",
                email=user.email,
            )
            if sent["welcome"] == "yes"
            else t(
                "{email} is now a representative of the service. They sign in with their email address.",
                email=user.email,
            )
        )
        return RedirectResponse(f"/panels/{panel_id}#services", status_code=303)

    return router
