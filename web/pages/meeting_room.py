"""The meeting room (``/meetings/{id}/room``): the turn queue, the current speaker and the room's balance, for the
meeting's coordinators on a tablet or laptop on the table; each tap one form over ``act_in_room``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.meeting_room import RoomCommand, RoomView, act_in_room, room_view
from domain.actors import Actor
from domain.errors import DomainError, InvalidValue, NotFound, PermissionDenied
from domain.speaking import Balance, QueueReason
from notifications.i18n import Catalog
from web.errors import Explained, explain, wants_json
from web.pages.context import Pages, SignedForm, sign_in_redirect

# The header room.js sends: the answer is the room's region alone, to swap in place.
FRAGMENT_HEADER = "x-raati-room"
# The keys that ask for the first members present (shown on their buttons); the rest are tapped.
MEMBER_KEYS = "123456789"
# The guide times offered, in seconds (the use case takes 30 to 1800).
GUIDE_CHOICES = (30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800)
ROOM_FIELDS = ("kind", "member_id", "seconds")


@dataclass(frozen=True)
class RoomRefused:
    """A refused tap in words, and the form control it is about."""

    explained: Explained

    @property
    def field(self) -> str:
        return self.explained.field


def meeting_room_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def shown(request: Request, actor: Actor, meeting_id: int, *, refused: RoomRefused | None = None,
              fragment: bool = False, view: RoomView | None = None) -> Response:  # fmt: skip
        if view is None:
            try:
                view = room_view(meeting_id, actor=actor, uow=pages.uow_factory(), clock=pages.clock)
            except DomainError as problem:
                return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        template = "_room_region.html" if fragment else "meeting_room.html"
        return pages.page(
            request,
            template,
            actor=actor,
            status=422 if refused else 200,
            room=view,
            when=t.format_datetime(view.starts_at, weekday=True),
            balance_line=balance_line(view.balance, t),
            undo_label=undo_label(view, t),
            reasons=reason_words(t),
            keys={member.member_id: key for member, key in zip(view.present, MEMBER_KEYS, strict=False)},
            guide_choices=[(seconds, duration(seconds, t)) for seconds in guide_choices(view.guide_seconds)],
            duration=lambda seconds: duration(seconds, t),
            clock_face=clock_face,
            new_id=lambda: uuid.uuid4().hex,
            refused=refused,
        )

    @router.get("/meetings/{meeting_id}/room", response_class=HTMLResponse)
    def room(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return shown(request, actor, meeting_id)

    @router.post("/meetings/{meeting_id}/room", response_class=HTMLResponse)
    async def act(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/room")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        # room.js asks for the region alone (its header; a JSON client too: it gets the region, never raw JSON).
        fragment = request.headers.get(FRAGMENT_HEADER) == "1" or wants_json(request.headers.get("accept"))
        sent = {name: str(form.get(name) or "").strip() for name in ROOM_FIELDS}
        try:
            command = RoomCommand(
                meeting_id=meeting_id,
                action_id=str(form.get("action_id") or ""),
                kind=sent["kind"],
                member_id=whole_number("member_id", sent["member_id"]),
                seconds=whole_number("seconds", sent["seconds"]),
                actor=actor.name,
            )
            view = act_in_room(command, uow=pages.uow_factory(), clock=pages.clock)
        except (PermissionDenied, NotFound) as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            return shown(request, actor, meeting_id, refused=RoomRefused(room_problem(problem, t)), fragment=fragment)
        if fragment:
            return shown(request, actor, meeting_id, fragment=True, view=view)
        return RedirectResponse(f"/meetings/{meeting_id}/room", status_code=303)

    return router


def whole_number(name: str, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InvalidValue(name, "not a whole number")
    return int(value)


def guide_choices(current: int) -> list[int]:
    """The offered guide times, with the room's own among them."""
    return sorted({*GUIDE_CHOICES, current})


def clock_face(seconds: int) -> str:
    """A running time as a clock shows it: 2:05, 1:02:05."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration(seconds: int, t: Catalog) -> str:
    """A length of time in words: 30 s, 2 min, 2 min 30 s."""
    minutes, secs = divmod(max(seconds, 0), 60)
    if not minutes:
        return t("{seconds} s", seconds=secs)
    if not secs:
        return t("{minutes} min", minutes=minutes)
    return t("{minutes} min {seconds} s", minutes=minutes, seconds=secs)


def balance_line(balance: Balance, t: Catalog) -> str:
    """The room's balance in one line: how many of those present have spoken and how uneven the time is."""
    if not balance.present:
        return t("Nobody is marked present yet.")
    if balance.max_to_median is None or balance.spoke < 2:
        return t.ngettext(
            "{spoke} of {count} present has spoken.",
            "{spoke} of {count} present have spoken.",
            balance.present,
            spoke=balance.spoke,
        )
    return t.ngettext(
        "{spoke} of {count} present has spoken; the most talkative has {ratio}× the median time.",
        "{spoke} of {count} present have spoken; the most talkative has {ratio}× the median time.",
        balance.present,
        spoke=balance.spoke,
        ratio=t.format_number(balance.max_to_median, decimals=1),
    )


def reason_words(t: Catalog) -> dict[str, str]:
    """Why a waiting member stands where they do in the queue, in words."""
    return {
        QueueReason.FEWEST_TURNS.value: t("fewest turns so far"),
        QueueReason.LEAST_TIME.value: t("as many turns, less time spoken"),
        QueueReason.ASKED_FIRST.value: t("as many turns and as much time, asked first"),
        QueueReason.MOVED_BY_LEADER.value: t("moved first by the leader"),
    }


def undo_label(view: RoomView, t: Catalog) -> str:
    """What the undo button reverses, said on it."""
    name = view.last_member_name
    if not name:  # ending a turn names nobody: it ends whichever turn runs
        nameless = {"end": t("Undo: the turn ended"), "guide": t("Undo: guide time changed")}
        return nameless.get(view.last_action or "", t("Undo"))
    labels = {
        "present": t("Undo: {name} marked present", name=name),
        "absent": t("Undo: {name} marked as left", name=name),
        "ask": t("Undo: {name} asked to speak", name=name),
        "withdraw": t("Undo: {name} taken off the queue", name=name),
        "front": t("Undo: {name} moved first", name=name),
        "start": t("Undo: {name}'s turn started", name=name),
    }
    return labels.get(view.last_action or "", t("Undo"))


def room_problem(error: DomainError, t: Catalog) -> Explained:
    """A refused tap in words, naming the control it is about."""
    title = t("Not saved")
    if isinstance(error, InvalidValue):
        if error.field == "kind":
            if "no turn" in error.reason:
                return Explained(title, t("Nobody is speaking, so there is no turn to end."), field="kind")
            return Explained(title, t("“Action” is not one the room knows. Tap one of the buttons."), field="kind")
        if error.field == "member_id":
            return Explained(title, member_words(error.reason, t), field="member_id")
        if error.field == "seconds":
            return Explained(title, t("“Guide time” must be from 30 seconds to 30 minutes."), field="seconds")
        if error.field == "action_id":
            return Explained(title, t("The form was not whole. Tap the button again."), field="action_id")
        if error.field == "meeting":
            return Explained(title, t("The meeting is cancelled, so no turns are recorded in it."))
    return explain(error, t)


def member_words(reason: str, t: Catalog) -> str:
    """Why a tap about a member was refused: mostly the room had changed before it came (another device, a page
    left open), so it says how the member stands now."""
    words = {
        "already waiting": t("“Member” is in the queue already."),
        "not waiting": t("“Member” is no longer in the queue."),
        "already present": t("“Member” is marked present already."),
        "not present": t("“Member” is not marked present."),
        "speaking already": t("“Member” is speaking already."),
        "nobody is waiting": t("Nobody is waiting: tap the name of the member whose turn it is."),
        "names a member": t("“Member” is missing: tap a name on the page."),
    }
    for found, said in words.items():
        if found in reason:
            return said
    return t("“Member” is not a member of this panel. Tap a name on the page.")
