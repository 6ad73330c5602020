"""The demo panel's ground rules, attendance and a topic wish taken up, through the real use cases.

``application.demo.pilot`` calls these at the right moments of its season.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from application.participation import attendance, ground_rules, topic_wishes
from application.participation.attendance import RecordAttendance
from application.participation.ground_rules import PublishGroundRules, SendWelcome
from application.participation.topic_wishes import ScheduleTopicWish
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads import views
from domain.actors import Actor

WISHER = "Karin Lindqvist"
WISH = "Hur hittar man hjälp på svenska när man ringer hälsostationen? Kunde panelen gå igenom telefontjänsten?"
# Who does not come to the first meeting, and who has not yet acknowledged the rules.
ABSENT = ("Pekka Laine", "David Novak")
NOT_YET_ACKNOWLEDGED = ("Pekka Laine", "David Novak", "Ulla Sjöberg", "Tuula Heikkinen")


@dataclass
class ParticipationDemo:
    rules_version: int = 0
    welcomed: int = 0
    members: int = 0
    acknowledged: int = 0
    attended: int = 0
    wish_id: int | None = None
    wish_meeting_id: int | None = None
    wish_emailed: bool = False
    wisher: str = WISHER
    names: dict[str, int] = field(default_factory=dict)


def rules_and_welcome(panel: str, *, actor: str, uow: Callable[[], UnitOfWork], clock: Clock) -> ParticipationDemo:
    """The panel starts with the model's own rules as version 1; every member gets the welcome email."""
    found = ParticipationDemo()
    rules = ground_rules.publish_ground_rules(PublishGroundRules(panel=panel, actor=actor), uow=uow(), clock=clock)
    found.rules_version = rules.version
    found.welcomed = ground_rules.send_welcome(SendWelcome(panel=panel, actor=actor), uow=uow(), clock=clock)
    found.names = {m.name: m.stored_id for m in views.list_members(panel, actor=Actor.operator(), uow=uow())}
    found.members = len(found.names)
    return found


def first_meeting(
    demo: ParticipationDemo, meeting_id: int, *, actor: str, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    """At the first meeting: who came, and most members acknowledge the rules they agreed on there."""
    present = tuple(i for name, i in demo.names.items() if name not in ABSENT)
    demo.attended = len(
        attendance.record_attendance(
            RecordAttendance(meeting_id=meeting_id, present=present, actor=actor), uow=uow(), clock=clock
        )
    )
    for name, member_id in demo.names.items():
        if name not in NOT_YET_ACKNOWLEDGED:
            ground_rules.acknowledge_ground_rules(member_id, demo.rules_version, uow=uow(), clock=clock)
            demo.acknowledged += 1


def wish_submitted(demo: ParticipationDemo, *, uow: Callable[[], UnitOfWork], clock: Clock) -> None:
    """A member sends a topic wish through the link in her welcome email."""
    demo.wish_id = topic_wishes.submit_topic_wish(demo.names[WISHER], WISH, uow=uow(), clock=clock).id


def wish_taken_up(
    demo: ParticipationDemo, meeting_id: int, *, actor: str, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    """The coordinator puts the wish on a coming meeting's agenda; its member is told by email."""
    assert demo.wish_id is not None
    done = topic_wishes.schedule_topic_wish(
        ScheduleTopicWish(wish_id=demo.wish_id, meeting_id=meeting_id, actor=actor), uow=uow(), clock=clock
    )
    demo.wish_meeting_id = meeting_id
    demo.wish_emailed = done.queued_notifications == 1
