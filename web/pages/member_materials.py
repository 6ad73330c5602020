"""A member downloads a meeting's material file by the signed link in their pre-brief
(``/m/{member_id}/materials/{file_id}?token=…``): the link is signed for that member and that file, and the file
opens only while the member is an active member of the meeting's panel; anything else is the members' friendly
"link not valid" page."""

# No `from __future__ import annotations`: FastAPI must resolve the Annotated query parameter at runtime.
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from application.meetings.materials import member_material
from application.ports.meeting_files import FileStore
from application.ports.unit_of_work import UnitOfWork
from domain.errors import DomainError, NotFound
from notifications.links import LinkSigner, material_purpose
from web.pages.meeting_materials import download
from web.pages.member_preferences import invalid_link_page


def member_materials_router(
    *, uow_factory: Callable[[], UnitOfWork], signer: Callable[[], LinkSigner], files: Callable[[], FileStore]
) -> APIRouter:
    router = APIRouter()

    @router.get("/m/{member_id}/materials/{file_id}")
    def member_download(
        member_id: int, file_id: int, request: Request, token: Annotated[str, Query(max_length=200)] = ""
    ) -> Response:
        if not signer().verify(material_purpose(file_id), member_id, token):
            return invalid_link_page(request)
        try:
            found, content = member_material(member_id, file_id, uow=uow_factory(), files=files())
        except NotFound:  # the file was removed since the mail went out, or the member was erased
            page = invalid_link_page(request)
            page.status_code = 404
            return page
        except DomainError:  # no longer an active member of the meeting's panel
            return invalid_link_page(request)
        return download(found, content)

    return router
