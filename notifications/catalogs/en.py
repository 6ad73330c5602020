"""English: Raati's messages to residents and staff."""

from __future__ import annotations

LANGUAGE = "en"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


MESSAGES: dict[str, str] = {
    # Dates and times (Helsinki time)
    "fmt.date": "{day} {month_name} {year}",
    "fmt.weekday_date": "{weekday} {date}",
    "fmt.time": "{hour}:{minute:02d}",
    "fmt.datetime": "{date} at {time}",
    "fmt.datetime_span": "{date}, {start}–{end}",
    "fmt.date_range": "{start} – {end}",
    # Common
    "masthead.generic": "Customer panel",
    "greeting.named": "Dear {name},",
    "greeting.anonymous": "Hello,",
    "signoff": "Kind regards,",
    "signature.member": "The customer panel's coordinators",
    "signature.staff": "Raati – following up the customer panels' ideas",
    "footer.member_reason": "You are receiving this email because you are a member of the customer panel.",
    "footer.staff_reason": "You are receiving this email because you handle the customer panel's matters "
    "as a coordinator or as a representative of a service.",
    "footer.preferences": "You can change the language and choose whether you hear about ideas at once or once a week:",
    "footer.preferences_link": "My settings",
    "footer.unsubscribe": "If you no longer want emails from the panel, you can unsubscribe with one click:",
    "footer.unsubscribe_link": "Unsubscribe",
    "footer.no_reply": "This is an automatic message; replies to it are not read.",
    "label.idea": "Idea",
    "label.panel": "Panel",
    "label.service": "Service",
    "label.state": "Status",
    "label.updated": "Updated",
    "label.when": "When",
    "label.where": "Where",
    "label.online": "Join online",
    "label.contact": "Contact person",
    "label.leading_service": "Service that prepared the meeting",
    "label.link": "Link",
    # Idea states in words
    "state.raised": "raised at the panel",
    "state.sent_to_service": "sent to the service",
    "state.in_progress": "in progress",
    "state.implemented": "implemented",
    "state.declined": "not going ahead",
    # One change to an idea
    "change.moved": "Status changed: {from_state} → {to_state}",
    "change.moved_to": "Status now: {to_state}",
    "change.noted": "The service tells how the idea is progressing",
    "change.noted_state": "The service tells how the idea is progressing (status: {state})",
    "change.text.declined": "Why the idea is not going ahead",
    "change.text.implemented": "What was done",
    "change.text.other": "More details",
    "change.no_service": "No service has been chosen yet",
    # idea_update
    "idea_update.subject.one": "News about the panel's idea: {title}",
    "idea_update.subject.other": "News about {count} of the panel's ideas",
    "idea_update.intro.one": "There is news about one of the customer panel's ideas.",
    "idea_update.intro.other": "There is news about {count} of the customer panel's ideas.",
    "idea_update.promise": "We tell you how every idea from the panel progresses – "
    "also when an idea does not go ahead.",
    # digest
    "digest.subject.one": "Weekly digest: news about the panel's idea {title}",
    "digest.subject.other": "Weekly digest: news about {count} of the panel's ideas",
    "digest.intro": "Here is this week's digest of the customer panel's ideas, for {period}.",
    "digest.why": "You receive the news about ideas as a weekly digest because you chose to. "
    "In your settings you can choose to get them at once instead.",
    # idea_sent_to_service
    "to_service.subject": "A new idea for your service: {title}",
    "to_service.intro": "The customer panel has sent an idea to your service and would like an answer.",
    "to_service.note": "Note from the coordinator",
    "to_service.todo": "What to do",
    "to_service.step1": "Read the idea and consider whether your service can take it forward.",
    "to_service.step2": "Record your decision in Raati: start work on the idea, or explain why it is not going ahead.",
    "to_service.step3": "Write the reason, and later the outcome, clearly – "
    "the text goes to the panel members as it is.",
    "to_service.respond_by": "Please respond by {date}.",
    "to_service.respond_usual": "Please respond within the panel's usual response time.",
    "to_service.open": "Open the idea in Raati",
    "staff.promise": "The panel has promised its members that they hear how every idea progresses – "
    "also when an idea does not go ahead. Thank you for helping us keep that promise.",
    # prebrief
    "prebrief.subject": "Before the meeting: customer panel on {date}",
    "prebrief.intro": "Welcome to the customer panel's next meeting! "
    "Here is the advance information, so that you can prepare at your own pace.",
    "prebrief.tasks": "What we will work on",
    "task.kind.question": "A question for the panel",
    "task.kind.material": "Material to comment on",
    "task.kind_and_category": "{kind}, about {category}",
    "task.category.communications": "communications",
    "task.category.web_services": "web services",
    "task.category.customer_instructions": "customer instructions",
    "task.category.other": "another topic",
    "prebrief.agenda": "Agenda",
    "prebrief.materials": "Materials to look at beforehand",
    "prebrief.materials_hint": "Have a look at the materials in advance if you have time. It is not required.",
    "prebrief.rules": "Our ground rules",
    "prebrief.rules_reminder": "A reminder of our ground rules: we keep our turns brief, "
    "give everyone room to take part, and talk about our own health only in general terms.",
    "prebrief.cant_come": "If you cannot come, please let the coordinator know.",
    "prebrief.see_you": "Welcome – see you at the meeting!",
    # summary
    "summary.subject": "Summary of the customer panel meeting on {date}",
    "summary.intro": "Thank you to everyone who took part! Here is a concise summary of the meeting.",
    "summary.discussion": "What we discussed",
    "summary.ideas": "The panel's ideas and the services they went to",
    "summary.no_ideas": "No new ideas were recorded at the meeting.",
    "summary.idea_service": "sent to the service: {service}",
    "summary.idea_no_service": "the service will be chosen later",
    "summary.next": "What happens next",
    "summary.next_meeting": "Next meeting: {when}",
    "summary.promise": "We will tell you as the ideas progress – also if an idea does not go ahead.",
    # welcome
    "welcome.subject": "Welcome to the customer panel!",
    "welcome.intro": "Welcome as a member of the customer panel! In the panel, residents and the services of the "
    "health and wellbeing centre develop the services together. Your experiences and views matter to us.",
    "welcome.rules": "Our ground rules",
    "welcome.rules_intro": "These ground rules help the work go smoothly and make taking part feel worthwhile:",
    "welcome.how": "How we keep you informed",
    "welcome.how_prebrief": "You get advance information about every meeting at least three days before it.",
    "welcome.how_summary": "After every meeting you get a concise summary.",
    "welcome.how_ideas": "We tell you how the panel's ideas progress – also when they do not go ahead.",
    "welcome.prefs": "In your settings you can choose the language (Finnish, Swedish or English) and whether "
    "you hear about ideas at once or in a weekly digest.",
    "welcome.next_meeting": "Next meeting: {when}",
    "welcome.questions": "If you have any questions, please get in touch.",
    "welcome.rules_version": "Ground rules, version {version}",
    "welcome.rules_ack": "Please read the ground rules and confirm that you have read them:",
    "welcome.rules_ack_link": "I have read the ground rules",
    "welcome.wish": "Is there a topic you would like the panel to work on? Tell us about it:",
    "welcome.wish_link": "Wish a topic",
    # topic_wish_scheduled
    "topic_wish.subject": "Your topic wish is on the customer panel's agenda on {date}",
    "topic_wish.intro": "Thank you for your topic wish! The coordinators have put it on the agenda of "
    "a coming customer panel meeting.",
    "topic_wish.your_wish": "Your wish",
    "topic_wish.meeting": "The meeting",
    "topic_wish.prebrief": "You will get the advance information about the meeting at least three days before it.",
    "topic_wish.more": "Do you have other topics in mind? You can wish for them at any time:",
    # reminder and escalation
    "reminder.subject.one": "Reminder: {title}",
    "reminder.subject.other": "Reminder: {count} items are waiting for you",
    "reminder.intro": "These customer panel items are waiting for you:",
    "escalation.subject.one": "Needs attention: {title}",
    "escalation.subject.other": "Needs attention: {count} items are overdue",
    "escalation.intro": "These customer panel items are overdue although reminders were sent. "
    "Please sort out the situation with the coordinator or the service.",
    "item.idea": "Idea",
    "item.prebrief": "Meeting pre-brief",
    "item.summary": "Meeting summary",
    "item.due": "Due: {due}",
    "item.overdue.one": "{count} day overdue",
    "item.overdue.other": "{count} days overdue",
    "item.due_soon": "not overdue yet",
    "item.responsible": "Responsible: {name}",
    "item.reminders.one": "{count} reminder sent",
    "item.reminders.other": "{count} reminders sent",
    "item.open": "Open in Raati",
    # survey_invitation
    "survey.subject": "Tell us what you think: {title}",
    "survey.intro": "We would like to hear how taking part in the customer panel has felt. "
    "Your answers help us develop the panel's work.",
    "survey.anonymous": "Your answers are anonymous: they are not linked to you.",
    "survey.minutes": "Answering takes about {minutes} minutes.",
    "survey.answer": "Answer the survey",
    "survey.once": "The link is personal and works once, so please do not pass it on.",
    "survey.closes": "The survey closes on {when}.",
    "survey.thanks": "Thank you for answering!",
    # progress_report
    "progress_report.subject.one": "Where the panel's ideas stand: {count} idea",
    "progress_report.subject.other": "Where the panel's ideas stand: {count} ideas",
    "progress_report.intro": "Here is the progress report on the customer panel's ideas for {period}: "
    "every idea of the panel and what has become of each one.",
    "progress_report.promise": "The panel has promised that you hear what becomes of every idea – "
    "also when an idea does not go ahead. So we also tell you which ideas are not going ahead, and why.",
    "progress_report.counts": "Ideas by status",
    "progress_report.total.one": "{count} idea in total",
    "progress_report.total.other": "{count} ideas in total",
    "progress_report.text.note": "Latest from the service",
    "progress_report.no_reason": "The reason has not been recorded yet.",
    "progress_report.no_ideas": "The panel has not raised any ideas yet.",
    "progress_report.thanks": "Thank you for helping to improve the services!",
}
