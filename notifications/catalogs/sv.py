"""Svenska: Raatis meddelanden till invånare och personal (finlandssvenska, som Helsingfors stad skriver)."""

from __future__ import annotations

LANGUAGE = "sv"

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS: tuple[str, ...] = ()  # datum med siffror: 12.3.2026


MESSAGES: dict[str, str] = {
    # Datum och tider (Helsingforstid)
    "fmt.date": "{day}.{month}.{year}",
    "fmt.weekday_date": "{weekday} {date}",
    "fmt.time": "{hour}.{minute:02d}",
    "fmt.datetime": "{date} kl. {time}",
    "fmt.datetime_span": "{date} kl. {start}–{end}",
    "fmt.date_range": "{start}–{end}",
    # Gemensamt
    "masthead.generic": "Kundrådet",
    "greeting.named": "Hej {name}!",
    "greeting.anonymous": "Hej!",
    "signoff": "Med vänliga hälsningar",
    "signature.member": "Kundrådets ansvariga",
    "signature.staff": "Raati – uppföljning av kundrådens idéer",
    "footer.member_reason": "Du får det här meddelandet eftersom du är medlem i kundrådet.",
    "footer.staff_reason": "Du får det här meddelandet eftersom du sköter kundrådets ärenden "
    "som ansvarig eller som representant för en tjänst.",
    "footer.preferences": "Du kan byta språk och välja om du får nyheterna om idéerna genast eller en gång i veckan:",
    "footer.preferences_link": "Mina inställningar",
    "footer.unsubscribe": "Om du inte längre vill få e-post från kundrådet kan du avbeställa med ett klick:",
    "footer.unsubscribe_link": "Avbeställ e-posten",
    "footer.no_reply": "Det här är ett automatiskt meddelande som du inte kan svara på.",
    "label.idea": "Idé",
    "label.panel": "Kundråd",
    "label.service": "Tjänst",
    "label.state": "Läge",
    "label.updated": "Uppdaterad",
    "label.when": "Tid",
    "label.where": "Plats",
    "label.online": "Distansanslutning",
    "label.contact": "Kontaktperson",
    "label.leading_service": "Tjänsten som har förberett mötet",
    "label.link": "Länk",
    # Idéernas lägen i ord
    "state.raised": "antecknad i kundrådet",
    "state.sent_to_service": "skickad till tjänsten",
    "state.in_progress": "under arbete",
    "state.implemented": "genomförd",
    "state.declined": "går inte vidare",
    # En ändring i en idé
    "change.moved": "Läget ändrades: {from_state} → {to_state}",
    "change.moved_to": "Läget nu: {to_state}",
    "change.noted": "Tjänsten berättar hur idén framskrider",
    "change.noted_state": "Tjänsten berättar hur idén framskrider (läge: {state})",
    "change.text.declined": "Varför idén inte går vidare",
    "change.text.implemented": "Vad som gjordes",
    "change.text.other": "Mer information",
    "change.no_service": "Tjänsten har ännu inte valts",
    # idea_update
    "idea_update.subject.one": "Nytt om kundrådets idé: {title}",
    "idea_update.subject.other": "Nytt om {count} av kundrådets idéer",
    "idea_update.intro.one": "Det finns nytt om läget för en av kundrådets idéer.",
    "idea_update.intro.other": "Det finns nytt om läget för {count} av kundrådets idéer.",
    "idea_update.promise": "Vi berättar hur varje idé från kundrådet framskrider – också när en idé inte går vidare.",
    # digest
    "digest.subject.one": "Veckosammandrag: nytt om kundrådets idé {title}",
    "digest.subject.other": "Veckosammandrag: nytt om {count} av kundrådets idéer",
    "digest.intro": "Här är veckans sammandrag av kundrådets idéer för tiden {period}.",
    "digest.why": "Du får nyheterna om idéerna som ett sammandrag en gång i veckan eftersom du har valt det. "
    "I inställningarna kan du välja att få dem genast i stället.",
    # idea_sent_to_service
    "to_service.subject": "En ny idé till er tjänst: {title}",
    "to_service.intro": "Kundrådet har skickat en idé till er tjänst och hoppas på ett svar.",
    "to_service.note": "Följebrev från den ansvariga",
    "to_service.todo": "Gör så här",
    "to_service.step1": "Läs idén och bedöm om er tjänst kan föra den vidare.",
    "to_service.step2": "Registrera beslutet i Raati: ta idén under arbete eller berätta varför den inte går vidare.",
    "to_service.step3": "Skriv motiveringen och senare resultatet tydligt – "
    "texten går som sådan till kundrådets medlemmar.",
    "to_service.respond_by": "Vänligen svara senast {date}.",
    "to_service.respond_usual": "Vänligen svara inom kundrådets vanliga svarstid.",
    "to_service.open": "Öppna idén i Raati",
    "staff.promise": "Kundrådet har lovat sina medlemmar att de får höra hur varje idé framskrider – "
    "också när en idé inte går vidare. Tack för att du hjälper oss att hålla löftet.",
    # prebrief
    "prebrief.subject": "Förhandsinformation: kundrådets möte {date}",
    "prebrief.intro": "Välkommen till kundrådets nästa möte! "
    "Här är förhandsinformationen, så att du kan förbereda dig i lugn och ro.",
    "prebrief.tasks": "Det här utvecklar vi på mötet",
    "task.kind.question": "Fråga till kundrådet",
    "task.kind.material": "Material att kommentera",
    "task.kind_and_category": "{kind}, ämne: {category}",
    "task.category.communications": "kommunikation",
    "task.category.web_services": "webbtjänster",
    "task.category.customer_instructions": "anvisningar för kunder",
    "task.category.other": "annat ämne",
    "prebrief.agenda": "Program",
    "prebrief.materials": "Material på förhand",
    "prebrief.materials_hint": "Du kan gärna bekanta dig med materialet i förväg om du hinner. "
    "Det är inte obligatoriskt.",
    "prebrief.rules": "Gemensamma spelregler",
    "prebrief.rules_reminder": "Kom ihåg våra gemensamma spelregler: vi håller inläggen korta, "
    "ger alla utrymme att delta och talar om vår egen hälsa bara på ett allmänt plan.",
    "prebrief.cant_come": "Om du inte kan komma, meddela gärna den ansvariga.",
    "prebrief.see_you": "Välkommen – vi ses på mötet!",
    # summary
    "summary.subject": "Sammanfattning av kundrådets möte {date}",
    "summary.intro": "Tack till alla som var med! Här är en kort sammanfattning av mötet.",
    "summary.discussion": "Det här behandlade vi",
    "summary.ideas": "Kundrådets idéer och tjänsterna som de skickades till",
    "summary.no_ideas": "Inga nya idéer antecknades på mötet.",
    "summary.idea_service": "skickad till tjänsten: {service}",
    "summary.idea_no_service": "tjänsten väljs senare",
    "summary.next": "Vad händer härnäst",
    "summary.next_meeting": "Nästa möte: {when}",
    "summary.promise": "Vi berättar när idéerna framskrider – också om någon idé inte går vidare.",
    # welcome
    "welcome.subject": "Välkommen till kundrådet!",
    "welcome.intro": "Välkommen som medlem i kundrådet! I kundrådet utvecklar invånarna och tjänsterna vid "
    "centralen för hälsa och välbefinnande tjänsterna tillsammans. "
    "Dina erfarenheter och synpunkter är viktiga för oss.",
    "welcome.rules": "Gemensamma spelregler",
    "welcome.rules_intro": "Med de här spelreglerna löper arbetet smidigt och deltagandet känns meningsfullt:",
    "welcome.how": "Så här håller vi dig informerad",
    "welcome.how_prebrief": "Du får förhandsinformation om varje möte senast tre dagar före mötet.",
    "welcome.how_summary": "Efter varje möte får du en kort sammanfattning.",
    "welcome.how_ideas": "Vi berättar hur kundrådets idéer framskrider – också när de inte går vidare.",
    "welcome.prefs": "I inställningarna kan du välja språk (finska, svenska eller engelska) och om du får "
    "nyheterna om idéerna genast eller som ett sammandrag en gång i veckan.",
    "welcome.next_meeting": "Nästa möte: {when}",
    "welcome.questions": "Om du har frågor är du välkommen att kontakta oss.",
    "welcome.rules_version": "Spelreglerna, version {version}",
    "welcome.rules_ack": "Läs gärna spelreglerna och bekräfta att du har läst dem:",
    "welcome.rules_ack_link": "Jag har läst spelreglerna",
    "welcome.wish": "Finns det ett ämne som du önskar att kundrådet behandlar? Berätta för oss:",
    "welcome.wish_link": "Önska ett ämne",
    # topic_wish_scheduled
    "topic_wish.subject": "Ditt ämnesönskemål står på kundrådets program {date}",
    "topic_wish.intro": "Tack för ditt ämnesönskemål! De ansvariga har tagit upp det på programmet för "
    "ett kommande möte i kundrådet.",
    "topic_wish.your_wish": "Ditt önskemål",
    "topic_wish.meeting": "Mötet",
    "topic_wish.prebrief": "Du får förhandsinformationen om mötet senast tre dagar före det.",
    "topic_wish.more": "Har du andra ämnen i tankarna? Du kan önska dem när som helst:",
    # reminder and escalation
    "reminder.subject.one": "Påminnelse: {title}",
    "reminder.subject.other": "Påminnelse: {count} ärenden väntar på dig",
    "reminder.intro": "De här ärendena i kundrådet väntar på dina åtgärder:",
    "escalation.subject.one": "Kräver uppmärksamhet: {title}",
    "escalation.subject.other": "Kräver uppmärksamhet: {count} ärenden är försenade",
    "escalation.intro": "De här ärendena i kundrådet är försenade trots påminnelser. "
    "Vänligen red ut läget med den ansvariga eller med tjänsten.",
    "item.idea": "Idé",
    "item.prebrief": "Förhandsinformation om mötet",
    "item.summary": "Sammanfattning av mötet",
    "item.due": "Tidsfrist: {due}",
    "item.overdue.one": "{count} dag försenad",
    "item.overdue.other": "{count} dagar försenad",
    "item.due_soon": "inte försenad ännu",
    "item.responsible": "Ansvarig: {name}",
    "item.reminders.one": "{count} påminnelse skickad",
    "item.reminders.other": "{count} påminnelser skickade",
    "item.open": "Öppna i Raati",
    # survey_invitation
    "survey.subject": "Berätta vad du tycker: {title}",
    "survey.intro": "Vi vill höra hur du har upplevt arbetet i kundrådet. "
    "Dina svar hjälper oss att utveckla kundrådets arbete.",
    "survey.anonymous": "Du svarar anonymt: dina svar kopplas inte till dig.",
    "survey.minutes": "Det tar cirka {minutes} minuter att svara.",
    "survey.answer": "Svara på enkäten",
    "survey.once": "Länken är personlig och fungerar en gång, så dela den inte vidare.",
    "survey.closes": "Enkäten stänger {when}.",
    "survey.thanks": "Tack för att du svarar!",
    # progress_report
    "progress_report.subject.one": "Läget för kundrådets idéer: {count} idé",
    "progress_report.subject.other": "Läget för kundrådets idéer: {count} idéer",
    "progress_report.intro": "Här är en lägesöversikt över kundrådets idéer för perioden {period}: "
    "alla kundrådets idéer och vad som har hänt med var och en.",
    "progress_report.promise": "Kundrådet har lovat att du får höra vad som händer med varje idé – "
    "också när en idé inte går vidare. Därför berättar vi också vilka idéer som inte går vidare och varför.",
    "progress_report.counts": "Idéerna efter läge",
    "progress_report.total.one": "Sammanlagt {count} idé",
    "progress_report.total.other": "Sammanlagt {count} idéer",
    "progress_report.text.note": "Senaste information från tjänsten",
    "progress_report.no_reason": "Motiveringen har ännu inte antecknats.",
    "progress_report.no_ideas": "Kundrådet har ännu inte antecknat några idéer.",
    "progress_report.thanks": "Tack för att du är med och utvecklar tjänsterna!",
}
