"""The promises a season must keep, judged from the database and the sent mail alone.

1. Every pre-brief went out at least 3 days before its meeting (to every member receiving
   mail), or the meeting is flagged late and all its coordinators were alerted before it.
2. Every idea is terminal, or somebody is being reminded: not yet overdue, or a reminder
   (an escalation too, from the second period of waiting on a service) within its period.
3. Every member receiving mail at the time of a change (a move or a note) to their panel's
   ideas was told of it in an idea update or digest sent after it (or it is still on its way).
4. Nothing was sent twice: each Message-ID once in the sink, and the sink holds exactly the
   emails the outbox records as sent.
5. Every held meeting's summary went out, or the coordinators were reminded on time.
6. A member who unsubscribed got no member mail afterwards.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.simulation.facts import SeasonFacts, SentEmail
from application.timezone import PANEL_TZ
from domain.events import Event, EventType
from domain.ideas import IdeaState
from domain.meetings import MeetingStatus
from domain.panels import Delivery, Member
from domain.schedule import PREBRIEF_FLOOR_DAYS, days_after, days_before
from notifications import kinds
from notifications.outbox import OutboxStatus
from notifications.policy import MEMBER_FACING

SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class CheckRules:
    """How often the flows run and how long mail may wait, so "not yet" is not mistaken for "never"."""

    coalesce: timedelta
    digest: timedelta
    tick: timedelta = timedelta(hours=1)  # send-prebriefs, follow-up-meetings, dispatch
    chase_every: timedelta = timedelta(days=1)  # chase-stale-ideas


@dataclass
class CheckResult:
    passed: bool
    detail: str
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"passed": self.passed, "detail": self.detail, "counts": self.counts, "problems": self.problems}


def _result(problems: list[str], detail: str, counts: dict[str, int]) -> CheckResult:
    shown = problems[:SHOWN_PROBLEMS] + (
        [f"… and {len(problems) - SHOWN_PROBLEMS} more"] if len(problems) > SHOWN_PROBLEMS else []
    )
    return CheckResult(not problems, detail, {**counts, "problems": len(problems)}, shown)


def _local(moment: datetime) -> str:
    return moment.astimezone(PANEL_TZ).strftime("%Y-%m-%d %H:%M")


def receives_mail(member: Member, events: list[Event], at: datetime) -> bool:
    """Whether the member was active, added and subscribed at ``at`` (from their event log)."""
    if not member.active:
        return False
    added, subscribed = False, True
    for event in sorted(events, key=lambda e: e.seq):
        if event.at > at:
            break
        if event.type == EventType.ADDED:
            added = True
        elif event.type in (EventType.UNSUBSCRIBED, EventType.RESUBSCRIBED):
            subscribed = event.type == EventType.RESUBSCRIBED
    return added and subscribed


def check_season(facts: SeasonFacts, rules: CheckRules) -> dict[str, CheckResult]:
    return {
        "prebriefs_on_time": prebriefs_on_time(facts),
        "ideas_answered": ideas_answered(facts, rules),
        "members_told": members_told(facts, rules),
        "nothing_sent_twice": nothing_sent_twice(facts),
        "summaries_followed_up": summaries_followed_up(facts, rules),
        "unsubscribed_left_alone": unsubscribed_left_alone(facts),
    }


def _by_meeting(sent: list[SentEmail], kind_set: set[str], about: str | None = None) -> dict[int, list[SentEmail]]:
    found: dict[int, list[SentEmail]] = defaultdict(list)
    for email in sent:
        if email.kind in kind_set and email.meeting is not None and (about is None or email.about == about):
            found[email.meeting].append(email)
    return found


def prebriefs_on_time(facts: SeasonFacts) -> CheckResult:
    prebriefs = _by_meeting(facts.sent, {kinds.PREBRIEF})
    alerts = _by_meeting(facts.sent, {kinds.REMINDER, kinds.ESCALATION}, about="prebrief")
    problems: list[str] = []
    counts = Counter[str]()
    for meeting in facts.meetings:
        if meeting.status is MeetingStatus.CANCELLED or meeting.id is None:
            continue
        deadline = days_before(meeting.starts_at, PREBRIEF_FLOOR_DAYS, PANEL_TZ)
        emails = prebriefs.get(meeting.id, [])
        if not emails and facts.now <= deadline:
            counts["not_yet_due"] += 1
            continue
        if emails and all(e.at <= deadline for e in emails):
            told = {e.recipient_id for e in emails}
            at = min(e.at for e in emails)
            owed = {
                m.stored_id
                for m in facts.members
                if m.panel_id == meeting.panel_id and receives_mail(m, facts.member_events.get(m.stored_id, []), at)
            }
            if owed - told:
                problems.append(f"meeting {meeting.id}: the pre-brief missed members {sorted(owed - told)}")
            counts["on_time"] += 1
            continue
        coordinators = {c.id for c in facts.coordinators.get(meeting.panel_id, [])}
        alerted = {
            a.recipient_id
            for a in alerts.get(meeting.id, [])
            if a.recipient_kind == "staff" and a.at <= meeting.starts_at
        }
        what = f"sent {_local(max(e.at for e in emails))}" if emails else "not sent"
        if not meeting.late:
            problems.append(f"meeting {meeting.id}: pre-brief {what}, after {_local(deadline)}, not flagged late")
        elif not coordinators or coordinators - alerted:
            problems.append(
                f"meeting {meeting.id}: pre-brief {what}, after {_local(deadline)}; coordinators "
                f"{sorted(i for i in coordinators - alerted if i is not None)} were not alerted before the meeting"
            )
        counts["late_flagged_and_alerted"] += 1
    detail = (
        f"{counts['on_time']} on time (≥ {PREBRIEF_FLOOR_DAYS} days ahead), {counts['late_flagged_and_alerted']}"
        f" late (flagged, coordinators alerted), {counts['not_yet_due']} not yet due"
    )
    return _result(problems, detail, dict(counts))


def ideas_answered(facts: SeasonFacts, rules: CheckRules) -> CheckResult:
    panels = {p.id: p for p in facts.panels}
    chases: dict[int, list[SentEmail]] = defaultdict(list)
    for email in facts.sent:
        if email.kind in (kinds.REMINDER, kinds.ESCALATION) and email.about == "idea":
            for idea_id in email.ideas:
                chases[idea_id].append(email)
    problems: list[str] = []
    counts = Counter[str]()
    for idea in facts.ideas:
        if idea.is_terminal or idea.id is None:
            counts["terminal"] += 1
            continue
        panel = panels[idea.panel_id]
        last = max(e.at for e in facts.idea_events[idea.id])
        every = timedelta(days=panel.progress_note_days if idea.state is IdeaState.IN_PROGRESS else panel.stale_days)
        coordinators = {c.id for c in facts.coordinators.get(idea.panel_id, [])}
        owners = {o.id for o in facts.owners.get(idea.service_id or 0, [])}
        responsible = coordinators if idea.state is IdeaState.RAISED else (owners or coordinators)

        period = int((facts.now - last) / every)
        reminded, escalated = _chased(chases[idea.id], last + period * every, responsible, coordinators)
        if period and facts.now < last + period * every + rules.chase_every + rules.tick and not reminded:
            period -= 1  # the chase has not had its daily run since this period began
            reminded, escalated = _chased(chases[idea.id], last + period * every, responsible, coordinators)
        if period <= 0:
            counts["not_yet_overdue"] += 1
            continue
        since = last + period * every
        waiting = f"idea {idea.id} ({idea.state.value}, quiet since {_local(last)})"
        if not reminded:
            problems.append(f"{waiting}: no reminder since {_local(since)} (period {period})")
        elif idea.state is IdeaState.SENT_TO_SERVICE and period >= 2 and not escalated:
            problems.append(f"{waiting}: waited {period} periods but no escalation since {_local(since)}")
        else:
            counts["escalated" if idea.state is IdeaState.SENT_TO_SERVICE and period >= 2 else "reminded"] += 1
    detail = (
        f"{counts['terminal']} terminal, {counts['not_yet_overdue']} open but not yet overdue, "
        f"{counts['reminded']} with a current reminder, {counts['escalated']} escalated"
    )
    return _result(problems, detail, dict(counts))


def _chased(
    emails: list[SentEmail], since: datetime, responsible: set[int | None], coordinators: set[int | None]
) -> tuple[bool, bool]:
    """Whether, since ``since``, the responsible people were reminded and the coordinators written to."""
    recent = [e for e in emails if e.at >= since and e.recipient_kind == "staff"]
    return (
        any(e.kind == kinds.REMINDER and e.recipient_id in responsible for e in recent),
        any(e.kind == kinds.ESCALATION and e.recipient_id in coordinators for e in recent),
    )


def members_told(facts: SeasonFacts, rules: CheckRules) -> CheckResult:
    told: dict[tuple[int, int, int], datetime] = {}
    for email in facts.sent:
        if email.recipient_kind == "member":
            for idea_id, seq in email.changes:
                key = (email.recipient_id, idea_id, seq)
                told[key] = min(told.get(key, email.at), email.at)
    rows: dict[tuple[int, int, int], OutboxStatus] = {}
    for row in facts.outbox:
        if row.kind == kinds.IDEA_UPDATE and row.recipient_kind.value == "member" and "event_seq" in row.payload:
            rows[(row.recipient_id, int(row.payload["idea_id"]), int(row.payload["event_seq"]))] = row.status
    problems: list[str] = []
    counts = Counter[str]()
    for idea in facts.ideas:
        for event in facts.idea_events.get(idea.stored_id, []):
            if event.type not in MEMBER_FACING:
                continue
            for member in facts.members:
                events = facts.member_events.get(member.stored_id, [])
                if member.panel_id != idea.panel_id or not receives_mail(member, events, event.at):
                    continue
                key = (member.stored_id, idea.stored_id, event.seq)
                window = rules.digest if member.delivery is Delivery.DIGEST else rules.coalesce
                left = [e.at for e in events if e.type == EventType.UNSUBSCRIBED and e.at >= event.at]
                if key in told and told[key] >= event.at:
                    counts["told"] += 1
                elif rows.get(key) is OutboxStatus.PENDING and facts.now - event.at <= window + rules.tick:
                    counts["on_the_way"] += 1
                elif rows.get(key) is OutboxStatus.CANCELLED and left:
                    counts["unsubscribed_before_delivery"] += 1
                else:
                    problems.append(
                        f"member {member.id} was not told of idea {idea.id} {event.type} "
                        f"(seq {event.seq}, {_local(event.at)}): outbox row {rows.get(key)}"
                    )
    detail = (
        f"{counts['told']} (member, change) pairs told, {counts['on_the_way']} still on their way, "
        f"{counts['unsubscribed_before_delivery']} dropped because the member unsubscribed first"
    )
    return _result(problems, detail, dict(counts))


def nothing_sent_twice(facts: SeasonFacts) -> CheckResult:
    in_sink = Counter(facts.sink_message_ids)
    recorded = {e.message_id for e in facts.sent}
    problems = [f"Message-ID {mid} is in the sink {n} times" for mid, n in in_sink.items() if n > 1]
    problems += [f"Message-ID {mid} is recorded sent but not in the sink" for mid in sorted(recorded - set(in_sink))]
    problems += [f"Message-ID {mid} is in the sink but not recorded sent" for mid in sorted(set(in_sink) - recorded)]
    counts = {"emails": len(facts.sent), "rows": sum(e.rows for e in facts.sent), "sink": len(facts.sink_message_ids)}
    detail = (
        f"{counts['emails']} emails ({counts['rows']} outbox rows) recorded sent; {counts['sink']} .eml files "
        f"in the sink; {sum(1 for n in in_sink.values() if n > 1)} Message-IDs more than once"
    )
    return _result(problems, detail, counts)


def summaries_followed_up(facts: SeasonFacts, rules: CheckRules) -> CheckResult:
    panels = {p.id: p for p in facts.panels}
    summaries = _by_meeting(facts.sent, {kinds.SUMMARY})
    reminders = _by_meeting(facts.sent, {kinds.REMINDER}, about="summary")
    problems: list[str] = []
    counts = Counter[str]()
    for meeting in facts.meetings:
        if meeting.status is MeetingStatus.CANCELLED or meeting.id is None or meeting.end > facts.now:
            continue
        due_days = panels[meeting.panel_id].summary_due_days
        points = [days_after(meeting.end, 1, PANEL_TZ)] + (
            [days_after(meeting.end, due_days, PANEL_TZ)] if due_days > 1 else []
        )
        sent = summaries.get(meeting.id, [])
        horizon = min(e.at for e in sent) if sent else facts.now
        owed = sum(1 for p in points if p + rules.tick < horizon)
        for coordinator in facts.coordinators.get(meeting.panel_id, []):
            got = sum(1 for r in reminders.get(meeting.id, []) if r.recipient_id == coordinator.id)
            if got < owed:
                problems.append(
                    f"meeting {meeting.id}: coordinator {coordinator.id} got {got} of {owed} summary reminders"
                )
        counts["summary_sent" if sent else "summary_pending"] += 1
        counts["reminded"] += 1 if owed else 0
    detail = (
        f"{counts['summary_sent']} summaries sent ({counts['reminded']} meetings needed reminders), "
        f"{counts['summary_pending']} held meetings still without one"
    )
    return _result(problems, detail, dict(counts))


def unsubscribed_left_alone(facts: SeasonFacts) -> CheckResult:
    problems: list[str] = []
    left = 0
    for member in facts.members:
        events = facts.member_events.get(member.stored_id, [])
        gone = [e.at for e in events if e.type == EventType.UNSUBSCRIBED]
        if not gone or member.id is None or not member.unsubscribed:
            continue
        left += 1
        after = [
            e for e in facts.sent if e.recipient_kind == "member" and e.recipient_id == member.id and e.at > max(gone)
        ]
        problems += [
            f"member {member.id} unsubscribed {_local(max(gone))} but got {e.kind} {_local(e.at)}" for e in after
        ]
    detail = f"{left} member(s) unsubscribed; {len(problems)} member email(s) sent to them afterwards"
    return _result(problems, detail, {"unsubscribed": left})
