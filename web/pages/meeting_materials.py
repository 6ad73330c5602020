"""A meeting's materials page (``/meetings/{id}/materials``: links and uploaded files, the staff's downloads) and the
pre-brief's preview (``/meetings/{id}/prebrief``: each member language exactly as composed for the outbox, and
"Send now", the same use case as the flow's)."""

from __future__ import annotations

import email.policy
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from application.meetings.materials import (
    UploadMaterial,
    add_material_link,
    meeting_materials,
    remove_material_file,
    remove_material_link,
    staff_material,
    upload_material,
)
from application.meetings.prebriefs import BEGUN, CALLED_OFF, NOT_READY, prebrief_preview, send_prebrief
from application.ports.meeting_files import FileStore
from application.ports.unit_of_work import Clock
from domain.actors import Actor
from domain.errors import DomainError, InvalidValue, PermissionDenied
from domain.meeting_files import MeetingFile
from notifications import kinds
from notifications.composer import MailComposer
from notifications.i18n import Catalog
from notifications.links import LinkSigner
from web.errors import Explained, explain
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.meetings import Refused, day, invalid_words, meeting_title, refused_status

MIB = 1024 * 1024
UPLOAD_PATH = "/meetings/{meeting_id}/materials/file"
LINK_FIELDS = ("material_title", "material_url")


@dataclass(frozen=True)
class MaterialsWiring:
    """What the materials pages need beyond the unit of work: where files are kept, the largest file taken, and the
    outbox's own composer (the preview is the mail as composed for sending)."""

    files: Callable[[], FileStore]
    composer: Callable[[], MailComposer]
    max_bytes: int

    @property
    def upload_limit(self) -> int:
        """The request body an upload may send: the file, and room for the form around it."""
        return self.max_bytes + MIB


@dataclass(frozen=True)
class Preview:
    """One language's pre-brief as composed: its subject and plain text; None where no member reads it."""

    language: str
    name: str  # the language's name in the page's language
    subject: str | None
    text: str | None


def download(file: MeetingFile, content: bytes) -> Response:
    """The file as an attachment under its own name and stored type; the browser never guesses another type."""
    ascii_name = file.filename.encode("ascii", "replace").decode("ascii").replace('"', "_").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file.filename, safe='')}"
    return Response(
        content,
        media_type=file.content_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def meeting_materials_router(pages: Pages, *, wiring: MaterialsWiring) -> APIRouter:
    router = APIRouter()

    def materials_view(request: Request, actor: Actor, meeting_id: int, *, refused: Refused | None = None) -> Response:
        try:
            shown = meeting_materials(actor, meeting_id, uow=pages.uow_factory())
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        return pages.page(
            request,
            "meeting_materials.html",
            actor=actor,
            status=refused_status(refused),
            shown=shown,
            title=meeting_title(shown.meeting, t),
            sizes={f.stored_id: size_words(f.size, t) for f in shown.files},
            max_size=size_words(wiring.max_bytes, t),
            refused=refused,
            sent=refused.sent if refused else {},
        )

    @router.get("/meetings/{meeting_id}/materials", response_class=HTMLResponse)
    def materials(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return materials_view(request, actor, meeting_id)

    @router.post("/meetings/{meeting_id}/materials/link", response_class=HTMLResponse)
    async def add_link(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/materials")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "") for name in LINK_FIELDS}
        try:
            add_material_link(
                meeting_id,
                title=sent["material_title"],
                url=sent["material_url"],
                actor=actor.name,
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            return materials_view(request, actor, meeting_id, refused=Refused("link", link_problem(problem, t), sent))
        request.session["flash"] = t("The link is added to the materials.")
        return RedirectResponse(f"/meetings/{meeting_id}/materials", status_code=303)

    @router.post("/meetings/{meeting_id}/materials/link/{position}/remove", response_class=HTMLResponse)
    async def remove_link(request: Request, meeting_id: int, position: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/materials")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            remove_material_link(meeting_id, position, actor=actor.name, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        request.session["flash"] = t("The link is removed from the materials.")
        return RedirectResponse(f"/meetings/{meeting_id}/materials", status_code=303)

    @router.post(UPLOAD_PATH, response_class=HTMLResponse)
    async def upload(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/materials")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        title = str(signed.form.get("file_title") or "")
        given = signed.form.get("file")
        sent = {"file_title": title}
        if not isinstance(given, UploadFile) or not given.filename:
            explained = Explained(t("Check the form"), t("Choose the file to upload."), field="file")
            return materials_view(request, actor, meeting_id, refused=Refused("file", explained, sent))
        # The body limit let at most a little more than the largest file through: reading it whole is bounded.
        content = await given.read()
        command = UploadMaterial(meeting_id, title, given.filename, content, actor=actor.name)
        try:
            upload_material(
                command, uow=pages.uow_factory(), files=wiring.files(), clock=pages.clock, max_bytes=wiring.max_bytes
            )
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            explained = file_problem(problem, t, filename=given.filename, maximum=size_words(wiring.max_bytes, t))
            return materials_view(request, actor, meeting_id, refused=Refused("file", explained, sent))
        request.session["flash"] = t("The file is saved. Members get a link to it with the pre-brief.")
        return RedirectResponse(f"/meetings/{meeting_id}/materials", status_code=303)

    @router.post("/meetings/{meeting_id}/materials/{file_id}/remove", response_class=HTMLResponse)
    async def remove_file(request: Request, meeting_id: int, file_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/materials")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            remove_material_file(
                meeting_id, file_id, actor=actor.name, uow=pages.uow_factory(), files=wiring.files(), clock=pages.clock
            )
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        request.session["flash"] = t("The file is removed from the materials.")
        return RedirectResponse(f"/meetings/{meeting_id}/materials", status_code=303)

    @router.get("/meetings/{meeting_id}/materials/{file_id}")
    def staff_download(request: Request, meeting_id: int, file_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            found, content = staff_material(actor, meeting_id, file_id, uow=pages.uow_factory(), files=wiring.files())
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        return download(found, content)

    def preview_view(request: Request, actor: Actor, meeting_id: int, *, refused: Refused | None = None) -> Response:
        try:
            shown = prebrief_preview(actor, meeting_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        composer = wiring.composer()
        names = {"fi": t("In Finnish"), "sv": t("In Swedish"), "en": t("In English")}
        previews = []
        for language, row in shown.rows.items():
            if row is None:
                previews.append(Preview(language, names[language], None, None))
                continue
            mail = composer.compose(kinds.PREBRIEF, [row], key=row.id)
            subject, text = mail_parts(mail)
            previews.append(Preview(language, names[language], subject, text))
        return pages.page(
            request,
            "prebrief_preview.html",
            actor=actor,
            status=refused_status(refused),
            shown=shown,
            title=meeting_title(shown.meeting, t),
            previews=previews,
            timing=timing_words(shown.standing, t, goes_out=day(t, shown.goes_out), deadline=day(t, shown.deadline)),
            refused=refused,
        )

    @router.get("/meetings/{meeting_id}/prebrief", response_class=HTMLResponse)
    def preview(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return preview_view(request, actor, meeting_id)

    @router.post("/meetings/{meeting_id}/prebrief/send", response_class=HTMLResponse)
    async def send_now(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/prebrief")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            run = send_prebrief(meeting_id, actor=actor.name, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            explained = Explained(t("The pre-brief was not sent"), send_problem(problem, t), field="send")
            return preview_view(request, actor, meeting_id, refused=Refused("send", explained))
        if run.sent:
            request.session["flash"] = t("The pre-brief is on its way to the members.")
        else:
            request.session["flash"] = t("The pre-brief had already been sent. Nothing was sent again.")
        return RedirectResponse(f"/meetings/{meeting_id}/prebrief", status_code=303)

    return router


def mail_parts(mail: EmailMessage) -> tuple[str, str]:
    """The subject and the plain text of a composed mail, read back as a mail client reads them."""
    parsed = message_from_bytes(mail.as_bytes(), policy=email.policy.default)
    body = parsed.get_body(("plain",))
    text = cast(Any, body).get_content() if body is not None else ""
    return str(parsed["Subject"]), str(text)


def size_words(size: int, t: Catalog) -> str:
    if size >= MIB:
        return t("{size} MB", size=t.format_number(size / MIB, decimals=1))
    return t("{size} kB", size=t.format_number(max(size / 1024, 0.1), decimals=1))


def timing_words(standing: str, t: Catalog, *, goes_out: str, deadline: str) -> str:
    if standing == "sent":
        return t("The pre-brief has been sent.")
    if standing == "late":
        return t(
            "The 3-day line ({deadline}) has passed: the members no longer get the pre-brief three days ahead. "
            "Send it now all the same, so that they hear of the meeting.",
            deadline=deadline,
        )
    if standing == "at_risk":
        return t(
            "At risk: the pre-brief cannot go out before the meeting has a task or an agenda, and a place or an "
            "online link. It must reach the members by {deadline}.",
            deadline=deadline,
        )
    return t(
        "It goes out to the members on {date}, and must reach them by {deadline} at the latest (the 3-day line).",
        date=goes_out,
        deadline=deadline,
    )


def link_problem(error: DomainError, t: Catalog) -> Explained:
    title = t("Check the form")
    raw = str(getattr(error, "field", ""))
    if isinstance(error, InvalidValue):
        if raw == "material_title" or (raw.startswith("material") and "single line" in error.reason):
            return Explained(title, invalid_words(error, t("Title of the link"), t), field="material_title")
        if raw == "material_url" and error.reason == "required":
            return Explained(title, invalid_words(error, t("Address"), t), field="material_url")
        if raw in ("material", "material_url"):
            return Explained(title, t("The address must start with https://."), field="material_url")
        return Explained(title, invalid_words(error, t("Title of the link"), t), field="material_title")
    return explain(error, t)


def file_problem(error: DomainError, t: Catalog, *, filename: str, maximum: str) -> Explained:
    """A refused file, named, with the reason in words."""
    title = t("The file was not saved")
    if isinstance(error, InvalidValue) and error.field == "file":
        if "bytes; at most" in error.reason:
            message = t("“{name}” is larger than {maximum}, the largest file taken.", name=filename, maximum=maximum)
        elif error.reason == "is empty":
            message = t("“{name}” is empty.", name=filename)
        else:
            message = t(
                "“{name}” is not a PDF, an Office document (Word, Excel, PowerPoint, OpenDocument) or a PNG or JPEG "
                "image by its content, so it cannot be shared with the members.",
                name=filename,
            )
        return Explained(title, message, field="file")
    if isinstance(error, InvalidValue) and error.field == "title":
        return Explained(title, invalid_words(error, t("Title of the file"), t), field="file_title")
    return explain(error, t)


def send_problem(error: DomainError, t: Catalog) -> str:
    reason = str(getattr(error, "reason", ""))
    if reason == CALLED_OFF:
        return t("The meeting was cancelled, so no pre-brief goes out.")
    if reason == BEGUN:
        return t("The meeting has already begun, so the pre-brief can no longer be sent.")
    if reason == NOT_READY:
        return t("Add the meeting's place or online link first, so that the members know where to come.")
    return explain(error, t).message


def materials_from_settings(
    max_mb: float, *, signer: Callable[[], LinkSigner], clock: Clock, files_dir: Path | None = None
) -> MaterialsWiring:
    """Files in ``RAATI_DATA_DIR/files``; the composer as the outbox's delivery builds it (``RAATI_*`` mail
    settings, the app's link signer), made on first use."""
    from notifications.render import Renderer
    from notifications.settings import DeliverySettings, SmtpSettings
    from persistence.meeting_files import LocalFileStore

    settings = DeliverySettings()
    store = LocalFileStore(files_dir or Path(settings.data_dir) / "files")

    @cache
    def composer() -> MailComposer:
        return MailComposer(
            renderer=Renderer(base_url=settings.base_url),
            signer=signer(),
            sender=SmtpSettings().sender,
            base_url=settings.base_url,
            mail_domain=settings.mail_domain,
            clock=clock,
        )

    return MaterialsWiring(files=lambda: store, composer=composer, max_bytes=int(max_mb * MIB))
