"""A panel's members (``/panels/{id}/members``): the list with where each member stands, adding one, and importing a
CSV file. Names and addresses are for the panel's coordinators only (``permissions.member_panels``); others get the
friendly 403 page. Each form calls the use case its command calls: ``raati member add`` / ``member import``.

The import: an upload (at most ``MAX_CSV_BYTES``) is read by the parser ``raati member import`` uses
(``application.people.member_csv``) and given to ``import_members`` all-or-nothing, as the command does without
``--skip-invalid``: a good file is imported at once; a file with bad rows imports nothing, and the page lists each bad
row by its line and reason. To import the good rows anyway, the coordinator ticks "skip the bad rows": the file's
text travels back in a hidden field of that form (never stored on the server, so no copy of the members' data is
left behind in a temporary file), and is read and checked again by the same use case."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from application.commands import AddMember, ImportMembers
from application.data_rights import MemberRequest, erase_member, export_member
from application.errors import InvalidRows, RowError
from application.participation.ground_rules import SendWelcome, send_welcome
from application.people.member_csv import MAX_CSV_BYTES, member_rows, member_rows_from_bytes
from application.people.roster import add_member, import_members
from application.ports.data_rights import DataRightsUnitOfWork
from application.reads.panel_pages import MembersPage, members_page
from application.reads.views import get_member
from domain.actors import Actor
from domain.errors import AlreadyExists, DomainError, InvalidValue, NotFound, PermissionDenied
from domain.panels import Member
from domain.values import Language
from notifications.i18n import Catalog
from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.panels import FormProblem, field_problem

# The pages of members' data are not kept by a browser's cache or a proxy, nor sent on as a referrer.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class BadRow:
    line: int
    message: str


@dataclass(frozen=True)
class Preview:
    """A file with bad rows: nothing imported; its rows, the bad ones in words, and its text to send again."""

    rows: int
    bad: list[BadRow]
    csv_text: str
    message: str = ""  # why the last try imported nothing (skip not ticked)
    skipped: list[BadRow] = field(default_factory=list)


def member_labels(t: Catalog) -> dict[str, str]:
    return {
        "name": t("Name"),
        "email": t("Email address"),
        "language": t("Language"),
        "greeting_name": t("Greeting name"),
        "file": t("CSV file"),
    }


def row_message(error: RowError, t: Catalog) -> str:
    """A bad row's reason in words, naming its column."""
    labels = member_labels(t)
    if "already exists" in error.reason:
        return t("“{field}” is already in use.", field=labels.get(error.field, error.field))
    if error.field == "language":
        return t("“{field}” must be fi, sv or en.", field=labels["language"])
    _, message = field_problem(InvalidValue(error.field, error.reason), t, labels, default="name")
    return message


def file_message(error: DomainError, t: Catalog) -> str:
    reason = str(getattr(error, "reason", ""))
    if "header" in reason:
        return t("The file's first line must name the columns: name,email and optionally language,greeting_name.")
    if "UTF-8" in reason:
        return t("Save the file as CSV in UTF-8 and upload it again.")
    if "KiB" in reason:
        return t("The file is too large: at most {size} KiB.", size=MAX_CSV_BYTES // 1024)
    if "no member rows" in reason:
        return t("The file has no member rows.")
    return t("The file cannot be read as CSV. Save it as CSV in UTF-8 and upload it again.")


def data_rights_uow(pages: Pages) -> DataRightsUnitOfWork:
    """The data-rights unit of work (``raati member export|erase``'s) beside the pages' own: same sessions."""
    uow = pages.uow_factory()
    if not isinstance(uow, SqlAlchemyUnitOfWork):
        raise TypeError("the members' data rights need the SQLAlchemy unit of work")
    return SqlAlchemyDataRightsUnitOfWork.beside(uow)


def members_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def panel_member(actor: Actor, panel_id: int, member_id: int) -> Member:
        """The member, if the actor may read them (their panel's coordinator) and they are of this panel."""
        member = get_member(member_id, actor=actor, uow=pages.uow_factory())
        if member.panel_id != panel_id:
            raise NotFound("member", member_id)
        return member

    def page(
        request: Request,
        actor: Actor,
        panel_id: int,
        *,
        problem: FormProblem | None = None,
        preview: Preview | None = None,
        status: int = 200,
    ) -> Response:
        try:
            shown: MembersPage = members_page(actor, panel_id, uow=pages.uow_factory())
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        t = pages.catalog(request, actor)
        member_languages = {Language.FI: t("Finnish"), Language.SV: t("Swedish"), Language.EN: t("English")}
        response = pages.page(
            request,
            "members.html",
            actor=actor,
            status=status,
            shown=shown,
            problem=problem or FormProblem(),
            preview=preview,
            member_languages=member_languages,
            when=lambda moment: t.format_datetime(moment),
            day=lambda moment: t.format_date(moment),
            max_kib=MAX_CSV_BYTES // 1024,
        )
        response.headers.update(PRIVATE)
        return response

    @router.get("/panels/{panel_id}/members", response_class=HTMLResponse)
    def members(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return page(request, actor, panel_id)

    @router.post("/panels/{panel_id}/members")
    async def add(request: Request, panel_id: int) -> Response:
        back = f"/panels/{panel_id}/members"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        sent = {k: str(form.get(k) or "").strip()[:1000] for k in ("name", "email", "language")}
        try:
            member = add_member(
                AddMember(
                    panel=str(panel_id),
                    name=sent["name"],
                    email=sent["email"],
                    language=sent["language"] or None,
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            if isinstance(error, AlreadyExists):
                control, message = "email", t("A member with this email address is already on the panel.")
            else:
                control, message = field_problem(error, t, member_labels(t), default="name")
            return page(request, actor, panel_id, problem=FormProblem("add", control, message, sent), status=422)
        request.session["flash"] = t("{name} is added to the panel.", name=member.name)
        return RedirectResponse(back, status_code=303)

    @router.post("/panels/{panel_id}/members/import")
    async def import_csv(request: Request, panel_id: int) -> Response:
        back = f"/panels/{panel_id}/members"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        upload = form.get("file")
        again = str(form.get("csv_text") or "")
        skip = form.get("skip_invalid") == "yes"
        try:
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(MAX_CSV_BYTES + 1)
                rows = member_rows_from_bytes(data)
                csv_text = data.decode("utf-8-sig")
                skip = False  # a new file is checked whole first
            elif again:
                if len(again.encode()) > MAX_CSV_BYTES:
                    raise InvalidValue("file", f"is larger than {MAX_CSV_BYTES // 1024} KiB")
                rows, csv_text = member_rows(again), again
            else:
                raise InvalidValue("file", "no member rows")
            result = import_members(
                ImportMembers(panel=str(panel_id), rows=rows, skip_invalid=skip, actor=actor.name),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except InvalidRows as error:
            bad = [BadRow(e.line, row_message(e, t)) for e in error.errors]
            message = t("Nothing was imported. Tick “Skip the bad rows” to import the other rows.") if again else ""
            preview = Preview(rows=len(rows), bad=bad, csv_text=csv_text, message=message)
            return page(request, actor, panel_id, preview=preview, status=422)
        except DomainError as error:
            problem = FormProblem("import", "file", file_message(error, t), {})
            return page(request, actor, panel_id, problem=problem, status=422)
        imported = len(result.imported)
        flash = t.ngettext("{count} member imported.", "{count} members imported.", imported)
        if result.skipped:
            flash += " " + t.ngettext(
                "{count} bad row was skipped.", "{count} bad rows were skipped.", len(result.skipped)
            )
        request.session["flash"] = flash
        return RedirectResponse(back, status_code=303)

    @router.post("/panels/{panel_id}/members/welcome")
    async def welcome(request: Request, panel_id: int) -> Response:
        """``raati member welcome``: the welcome mail to every active member who has not had it yet."""
        back = f"/panels/{panel_id}/members"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            queued = send_welcome(
                SendWelcome(panel=str(panel_id), actor=actor.name), uow=pages.uow_factory(), clock=pages.clock
            )
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        if queued:
            request.session["flash"] = t.ngettext(
                "The welcome mail goes out to {count} member.", "The welcome mail goes out to {count} members.", queued
            )
        else:
            request.session["flash"] = t("Every member has had the welcome mail already.")
        return RedirectResponse(back, status_code=303)

    @router.get("/panels/{panel_id}/members/{member_id}/export")
    def export(request: Request, panel_id: int, member_id: int) -> Response:
        """Everything Raati holds about the member, as the JSON ``raati member export`` writes (right of access)."""
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            panel_member(actor, panel_id, member_id)
            document = export_member(
                MemberRequest(member_id=member_id, actor=actor.name), uow=data_rights_uow(pages), clock=pages.clock
            )
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="raati-member-{member_id}.json"'}
        return Response(body, media_type="application/json; charset=utf-8", headers=headers)

    @router.get("/panels/{panel_id}/members/{member_id}/erase", response_class=HTMLResponse)
    def confirm_erase(request: Request, panel_id: int, member_id: int) -> Response:
        """What erasing the member does, in words, and the button that does it."""
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            member = panel_member(actor, panel_id, member_id)
            panel = members_page(actor, panel_id, uow=pages.uow_factory()).panel
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        response = pages.page(request, "members_erase.html", actor=actor, member=member, panel=panel)
        response.headers.update(PRIVATE)
        return response

    @router.post("/panels/{panel_id}/members/{member_id}/erase")
    async def erase(request: Request, panel_id: int, member_id: int) -> Response:
        back = f"/panels/{panel_id}/members"
        signed = await pages.signed_form(request, back=f"{back}/{member_id}/erase")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            panel_member(actor, panel_id, member_id)
            done = erase_member(
                MemberRequest(member_id=member_id, actor=actor.name), uow=data_rights_uow(pages), clock=pages.clock
            )
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        if done.already_erased:
            request.session["flash"] = t("The member had already been erased.")
        else:
            request.session["flash"] = t(
                "The member is erased: their name and email address are replaced everywhere, "
                "{unsent} unsent emails deleted and {sent} sent emails stripped.",
                unsent=done.counts.get("unsent_mail_deleted", 0),
                sent=done.counts.get("sent_mail_stripped", 0),
            )
        return RedirectResponse(back, status_code=303)

    return router
