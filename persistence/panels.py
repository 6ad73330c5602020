"""SQLAlchemy repositories of panels and the people around them: services, members and staff users."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from sqlalchemy import Row, bindparam, delete, func, select
from sqlalchemy.orm import Session

from domain.errors import InvalidValue, NotFound
from domain.panels import Contact, Delivery, Member, Panel, Service, StaffUser
from domain.translations import from_store
from domain.values import Language, Role
from persistence.tables import CoordinatorPanelRow, MemberRow, PanelRow, ServiceRow, StaffUserRow, table_of


def _as_id(ref: str) -> int | None:
    text = ref.strip()
    # ASCII digits only ("²".isdigit() is true), and within the id column's range; else it is a name.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


_MEMBERS_OF_PANEL = (
    select(table_of(MemberRow))
    .where(table_of(MemberRow).c.panel_id == bindparam("panel_id"))
    .order_by(table_of(MemberRow).c.id)
)
_OWNERS_OF_SERVICE = (
    select(table_of(StaffUserRow))
    .where(
        table_of(StaffUserRow).c.service_id == bindparam("service_id"),
        table_of(StaffUserRow).c.role == Role.SERVICE_OWNER.value,
    )
    .order_by(table_of(StaffUserRow).c.id)
)
_BY_ID = {model: select(model).where(table_of(model).c.id == bindparam("row_id")) for model in (PanelRow, ServiceRow)}
RowT = TypeVar("RowT", PanelRow, ServiceRow)


def _get(session: Session, model: type[RowT], row_id: int) -> RowT | None:
    """``session.get`` (the identity map first) with a statement built once: panels and services are read on every
    idea change; ``session.get`` builds its query anew each time."""
    held = session.identity_map.get(session.identity_key(model, row_id))
    if held is not None:
        return cast(RowT, held)
    return cast("RowT | None", session.scalars(_BY_ID[model], {"row_id": row_id}).one_or_none())


class SqlAlchemyPanels:
    def __init__(self, session: Session) -> None:
        self.session = session
        # The session's identity map holds rows weakly; holding them here lets a second by_id in the same
        # transaction (an idea change reads its panel twice) come from the map instead of the database.
        self._held: builtins.list[PanelRow] = []

    def add(self, panel: Panel) -> Panel:
        row = PanelRow(name=panel.name, lead_days=panel.lead_days, summary_due_days=panel.summary_due_days)
        self._copy(panel, row)
        self.session.add(row)
        self.session.flush()
        panel.id = row.id
        return panel

    def save(self, panel: Panel) -> None:
        """Store a changed name, translations, contact, day settings or public page."""
        row = _get(self.session, PanelRow, panel.stored_id)
        if row is None:
            raise NotFound("panel", panel.id)
        row.name = panel.name
        row.lead_days = panel.lead_days
        row.summary_due_days = panel.summary_due_days
        row.stale_days = panel.stale_days
        row.progress_note_days = panel.progress_note_days
        self._copy(panel, row)
        self.session.flush()

    @staticmethod
    def _copy(panel: Panel, row: PanelRow) -> None:
        row.translations = panel.translations.as_json() or None
        contact = panel.contact
        row.contact_name = contact.name if contact else None
        row.contact_email = contact.email if contact else None
        row.contact_phone = contact.phone if contact else None
        row.public_page = panel.public_page
        row.public_slug = panel.public_slug

    def get(self, ref: str) -> Panel:
        panel_id = _as_id(ref)
        if panel_id is not None:
            return self.by_id(panel_id)
        row = self.session.scalar(select(PanelRow).where(func.lower(PanelRow.name) == ref.strip().lower()))
        if row is None:
            raise NotFound("panel", ref)
        return self._panel(row)

    def by_id(self, panel_id: int) -> Panel:
        row = _get(self.session, PanelRow, panel_id)
        if row is None:
            raise NotFound("panel", panel_id)
        self._held.append(row)
        return self._panel(row)

    def list(self) -> list[Panel]:
        return [self._panel(r) for r in self.session.scalars(select(PanelRow).order_by(PanelRow.id))]

    @staticmethod
    def _panel(row: PanelRow) -> Panel:
        return Panel(
            id=row.id,
            name=row.name,
            lead_days=row.lead_days,
            summary_due_days=row.summary_due_days,
            stale_days=row.stale_days,
            progress_note_days=row.progress_note_days,
            translations=from_store(row.translations),
            contact=Contact(row.contact_name, row.contact_email, row.contact_phone)
            if row.contact_name and row.contact_email
            else None,
            public_page=row.public_page,
            public_slug=row.public_slug,
        )


class SqlAlchemyServices:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._held: builtins.list[ServiceRow] = []

    def add(self, service: Service) -> Service:
        row = ServiceRow(panel_id=service.panel_id, name=service.name)
        self.session.add(row)
        self.session.flush()
        service.id = row.id
        return service

    def get(self, ref: str, *, panel_id: int | None) -> Service:
        service_id = _as_id(ref)
        if service_id is not None:
            service = self.by_id(service_id)
            if panel_id is not None and service.panel_id != panel_id:
                raise InvalidValue("service", f"service {service_id} does not take part in panel {panel_id}")
            return service
        query = select(ServiceRow).where(func.lower(ServiceRow.name) == ref.strip().lower())
        if panel_id is not None:
            query = query.where(ServiceRow.panel_id == panel_id)
        rows = list(self.session.scalars(query))
        if not rows:
            raise NotFound("service", ref)
        if len(rows) > 1:
            raise InvalidValue("service", f"{ref!r} is in several panels; give --panel or the service id")
        return self._service(rows[0])

    def by_id(self, service_id: int) -> Service:
        row = _get(self.session, ServiceRow, service_id)
        if row is None:
            raise NotFound("service", service_id)
        self._held.append(row)  # as in SqlAlchemyPanels.by_id
        return self._service(row)

    def for_panel(self, panel_id: int) -> list[Service]:
        query = select(ServiceRow).where(ServiceRow.panel_id == panel_id).order_by(ServiceRow.id)
        return [self._service(r) for r in self.session.scalars(query)]

    @staticmethod
    def _service(row: ServiceRow) -> Service:
        return Service(id=row.id, panel_id=row.panel_id, name=row.name)


class SqlAlchemyMembers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, member: Member) -> Member:
        row = MemberRow(
            panel_id=member.panel_id,
            name=member.name,
            email=member.email,
            language=member.language.value,
            delivery=member.delivery.value,
            active=member.active,
            greeting_name=member.greeting_name,
        )
        self.session.add(row)
        self.session.flush()
        member.id = row.id
        return member

    def get(self, member_id: int) -> Member:
        row = self.session.get(MemberRow, member_id)
        if row is None:
            raise NotFound("member", member_id)
        return self._member(row)

    def save(self, member: Member) -> None:
        row = self.session.get(MemberRow, member.id)
        if row is None:
            raise NotFound("member", member.id)
        row.language = member.language.value
        row.delivery = member.delivery.value
        row.active = member.active
        row.unsubscribed = member.unsubscribed
        row.greeting_name = member.greeting_name
        self.session.flush()

    def emails_in_panel(self, panel_id: int) -> set[str]:
        query = select(MemberRow.email).where(MemberRow.panel_id == panel_id)
        return {address.casefold() for address in self.session.scalars(query)}

    def active_in_panel(self, panel_id: int) -> list[Member]:
        return [m for m in self.for_panel(panel_id) if m.active]

    def for_panel(self, panel_id: int) -> list[Member]:
        # Read on every idea change (the recipients): a statement built once, Core rows (no identity map).
        return [self._member(r) for r in self.session.execute(_MEMBERS_OF_PANEL, {"panel_id": panel_id})]

    @staticmethod
    def _member(row: MemberRow | Row[Any]) -> Member:
        return Member(
            id=row.id,
            panel_id=row.panel_id,
            name=row.name,
            email=row.email,
            language=Language(row.language),
            delivery=Delivery(row.delivery),
            active=row.active,
            unsubscribed=row.unsubscribed,
            greeting_name=row.greeting_name,
        )


class SqlAlchemyUsers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: StaffUser) -> StaffUser:
        row = StaffUserRow(
            email=user.email,
            role=user.role.value,
            service_id=user.service_id,
            language=user.language.value if user.language else None,
            greeting_name=user.greeting_name,
            active=user.active,
        )
        self.session.add(row)
        self.session.flush()
        user.id = row.id
        self._set_panels(user)
        return user

    def save(self, user: StaffUser) -> None:
        row = self.session.get(StaffUserRow, user.id)
        if row is None:
            raise NotFound("user", user.email)
        row.role = user.role.value
        row.service_id = user.service_id
        row.language = user.language.value if user.language else None
        row.greeting_name = user.greeting_name
        row.active = user.active
        self._set_panels(user)

    def _set_panels(self, user: StaffUser) -> None:
        self.session.execute(delete(CoordinatorPanelRow).where(CoordinatorPanelRow.user_id == user.id))
        for panel_id in sorted(user.panel_ids):
            self.session.add(CoordinatorPanelRow(user_id=user.id, panel_id=panel_id))
        self.session.flush()

    def by_email(self, email: str) -> StaffUser | None:
        row = self.session.scalar(select(StaffUserRow).where(func.lower(StaffUserRow.email) == email.lower()))
        return self._user(row) if row else None

    def by_id(self, user_id: int) -> StaffUser | None:
        row = self.session.get(StaffUserRow, user_id)
        return self._user(row) if row else None

    def coordinators_of(self, panel_id: int) -> list[StaffUser]:
        query = (
            select(StaffUserRow)
            .join(CoordinatorPanelRow, CoordinatorPanelRow.user_id == StaffUserRow.id)
            .where(CoordinatorPanelRow.panel_id == panel_id, StaffUserRow.role == Role.COORDINATOR.value)
            .order_by(StaffUserRow.id)
        )
        return [self._user(r) for r in self.session.scalars(query)]

    def owners_of(self, service_id: int) -> list[StaffUser]:
        # Read on every idea change: a statement built once; owners have no panels, so no further query.
        return [self._user(r) for r in self.session.execute(_OWNERS_OF_SERVICE, {"service_id": service_id})]

    def _user(self, row: StaffUserRow | Row[Any]) -> StaffUser:
        panels: Iterable[int] = ()
        if row.role == Role.COORDINATOR.value:  # only coordinators have panels: no query for the others
            query = select(CoordinatorPanelRow.panel_id).where(CoordinatorPanelRow.user_id == row.id)
            panels = self.session.scalars(query)
        return self.from_row(row, panel_ids=set(panels))

    @staticmethod
    def from_row(row: StaffUserRow | Row[Any], *, panel_ids: set[int]) -> StaffUser:
        return StaffUser(
            id=row.id,
            email=row.email,
            role=Role(row.role),
            panel_ids=panel_ids,
            service_id=row.service_id,
            language=Language(row.language) if row.language else None,
            greeting_name=row.greeting_name,
            active=row.active,
        )
