"""Suomi: Raatin viestit asukkaille ja henkilöstölle (oletuskieli)."""

from __future__ import annotations

LANGUAGE = "fi"

WEEKDAYS = ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai")
MONTHS: tuple[str, ...] = ()  # päivämäärät numeroin: 12.3.2026


MESSAGES: dict[str, str] = {
    # Päivämäärät ja ajat (Helsingin aikaa)
    "fmt.date": "{day}.{month}.{year}",
    "fmt.weekday_date": "{weekday} {date}",
    "fmt.time": "{hour}.{minute:02d}",
    "fmt.datetime": "{date} klo {time}",
    "fmt.datetime_span": "{date} klo {start}–{end}",
    "fmt.date_range": "{start}–{end}",
    # Yhteiset
    "masthead.generic": "Asiakasraati",
    "greeting.named": "Hei {name},",
    "greeting.anonymous": "Hei,",
    "signoff": "Ystävällisin terveisin",
    "signature.member": "Asiakasraadin vastuuhenkilöt",
    "signature.staff": "Raati – asiakasraatien ideoiden seuranta",
    "footer.member_reason": "Saat tämän viestin, koska olet asiakasraadin jäsen.",
    "footer.staff_reason": "Saat tämän viestin, koska hoidat asiakasraadin asioita "
    "vastuuhenkilönä tai palvelun edustajana.",
    "footer.preferences": "Voit vaihtaa viestien kielen ja valita, saatko ideoiden uutiset heti vai kerran viikossa:",
    "footer.preferences_link": "Omat asetukset",
    "footer.unsubscribe": "Jos et halua enää sähköpostia raadista, voit perua viestit yhdellä napsautuksella:",
    "footer.unsubscribe_link": "Peru sähköpostit",
    "footer.no_reply": "Tämä on automaattinen viesti, eikä siihen voi vastata.",
    "label.idea": "Idea",
    "label.panel": "Raati",
    "label.service": "Palvelu",
    "label.state": "Tila",
    "label.updated": "Päivitetty",
    "label.when": "Aika",
    "label.where": "Paikka",
    "label.online": "Etäyhteys",
    "label.contact": "Yhteyshenkilö",
    "label.leading_service": "Tapaamisen valmistellut palvelu",
    "label.link": "Linkki",
    # Idean tilat sanoin
    "state.raised": "kirjattu raadissa",
    "state.sent_to_service": "välitetty palvelulle",
    "state.in_progress": "työn alla",
    "state.implemented": "toteutettu",
    "state.declined": "ei etene",
    # Idean muutos
    "change.moved": "Tila muuttui: {from_state} → {to_state}",
    "change.moved_to": "Tila nyt: {to_state}",
    "change.noted": "Palvelu kertoo, miten idea etenee",
    "change.noted_state": "Palvelu kertoo, miten idea etenee (tila: {state})",
    "change.text.declined": "Miksi idea ei etene",
    "change.text.implemented": "Mitä tehtiin",
    "change.text.other": "Lisätietoa",
    "change.no_service": "Palvelua ei ole vielä valittu",
    # idea_update
    "idea_update.subject.one": "Uutta tietoa raadin ideasta: {title}",
    "idea_update.subject.other": "Uutta tietoa {count} raadin ideasta",
    "idea_update.intro.one": "Asiakasraadin idean tilanteesta on uutta tietoa.",
    "idea_update.intro.other": "Asiakasraadin {count} idean tilanteesta on uutta tietoa.",
    "idea_update.promise": "Kerromme sinulle, miten jokainen raadin idea etenee – myös silloin, kun idea ei etene.",
    # digest
    "digest.subject.one": "Viikkokooste: uutta tietoa raadin ideasta {title}",
    "digest.subject.other": "Viikkokooste: uutta tietoa {count} raadin ideasta",
    "digest.intro": "Tässä on viikkokooste asiakasraadin ideoista ajalta {period}.",
    "digest.why": "Saat ideoiden uutiset koosteena kerran viikossa, koska valitsit niin. "
    "Voit vaihtaa asetuksista, saatko ne mieluummin heti.",
    # idea_sent_to_service
    "to_service.subject": "Uusi idea palvelullenne: {title}",
    "to_service.intro": "Asiakasraati on välittänyt palvelullenne idean ja toivoo siihen vastausta.",
    "to_service.note": "Vastuuhenkilön saate",
    "to_service.todo": "Toimi näin",
    "to_service.step1": "Lue idea ja arvioi, voiko palvelunne viedä sitä eteenpäin.",
    "to_service.step2": "Kirjaa päätös Raatiin: ota idea työn alle tai kerro, miksi se ei etene.",
    "to_service.step3": "Kirjoita perustelu ja aikanaan tieto toteutuksesta selkeästi – "
    "teksti lähtee raatilaisille sellaisenaan.",
    "to_service.respond_by": "Vastaathan viimeistään {date}.",
    "to_service.respond_usual": "Vastaathan raadin tavanomaisessa vastausajassa.",
    "to_service.open": "Avaa idea Raatissa",
    "staff.promise": "Raati on luvannut jäsenilleen, että he kuulevat jokaisen idean vaiheista – "
    "myös silloin, kun idea ei etene. Kiitos, että autat pitämään lupauksen.",
    # prebrief
    "prebrief.subject": "Ennakkotiedot: asiakasraadin tapaaminen {date}",
    "prebrief.intro": "Tervetuloa asiakasraadin seuraavaan tapaamiseen! "
    "Tässä ovat ennakkotiedot, jotta voit valmistautua rauhassa.",
    "prebrief.tasks": "Mitä tapaamisessa kehitetään",
    "task.kind.question": "Kysymys raadille",
    "task.kind.material": "Aineisto kommentoitavaksi",
    "task.kind_and_category": "{kind}, aiheena {category}",
    "task.category.communications": "viestintä",
    "task.category.web_services": "verkkopalvelut",
    "task.category.customer_instructions": "asiakasohjeet",
    "task.category.other": "muu aihe",
    "prebrief.agenda": "Ohjelma",
    "prebrief.materials": "Ennakkomateriaalit",
    "prebrief.materials_hint": "Voit tutustua materiaaleihin etukäteen, jos ehdit. Se ei ole pakollista.",
    "prebrief.rules": "Yhteiset pelisäännöt",
    "prebrief.rules_reminder": "Muistathan yhteiset pelisäännöt: pidämme puheenvuorot lyhyinä, "
    "annamme jokaiselle tilaa osallistua ja puhumme omasta terveydestämme vain yleisellä tasolla.",
    "prebrief.cant_come": "Jos et pääse paikalle, kerrothan siitä vastuuhenkilölle.",
    "prebrief.see_you": "Tervetuloa – nähdään tapaamisessa!",
    # summary
    "summary.subject": "Yhteenveto asiakasraadin tapaamisesta {date}",
    "summary.intro": "Kiitos kaikille, jotka olivat mukana! Tässä on tiivis yhteenveto tapaamisesta.",
    "summary.discussion": "Mitä käsittelimme",
    "summary.ideas": "Raadin ideat ja palvelut, joille ne välitettiin",
    "summary.no_ideas": "Tapaamisessa ei kirjattu uusia ideoita.",
    "summary.idea_service": "välitetty palvelulle: {service}",
    "summary.idea_no_service": "palvelu valitaan myöhemmin",
    "summary.next": "Mitä seuraavaksi",
    "summary.next_meeting": "Seuraava tapaaminen: {when}",
    "summary.promise": "Kerromme sinulle, kun ideat etenevät – myös silloin, jos jokin idea ei etene.",
    # welcome
    "welcome.subject": "Tervetuloa asiakasraatiin!",
    "welcome.intro": "Tervetuloa asiakasraadin jäseneksi! Raadissa asukkaat ja terveys- ja hyvinvointikeskuksen "
    "palvelut kehittävät palveluita yhdessä. Kokemuksesi ja näkemyksesi ovat meille tärkeitä.",
    "welcome.rules": "Yhteiset pelisäännöt",
    "welcome.rules_intro": "Näiden pelisääntöjen avulla työ sujuu ja osallistuminen tuntuu hyödylliseltä:",
    "welcome.how": "Näin pidämme sinut ajan tasalla",
    "welcome.how_prebrief": "Saat ennakkotiedot jokaisesta tapaamisesta viimeistään kolme päivää ennen sitä.",
    "welcome.how_summary": "Jokaisen tapaamisen jälkeen saat tiiviin yhteenvedon.",
    "welcome.how_ideas": "Kerromme, miten raadin ideat etenevät – myös silloin, kun ne eivät etene.",
    "welcome.prefs": "Voit valita asetuksista viestien kielen (suomi, ruotsi tai englanti) ja sen, "
    "saatko ideoiden uutiset heti vai kerran viikossa koosteena.",
    "welcome.next_meeting": "Seuraava tapaaminen: {when}",
    "welcome.questions": "Jos sinulla on kysyttävää, ota rohkeasti yhteyttä.",
    "welcome.rules_version": "Pelisäännöt, versio {version}",
    "welcome.rules_ack": "Luethan pelisäännöt ja vahvistat, että olet lukenut ne:",
    "welcome.rules_ack_link": "Olen lukenut pelisäännöt",
    "welcome.wish": "Onko mielessäsi aihe, jota raadin toivoisit käsittelevän? Kerro siitä meille:",
    "welcome.wish_link": "Toivo aihetta",
    # topic_wish_scheduled
    "topic_wish.subject": "Aihetoiveesi on asiakasraadin ohjelmassa {date}",
    "topic_wish.intro": "Kiitos aihetoiveestasi! Vastuuhenkilöt ovat ottaneet sen asiakasraadin tulevan "
    "tapaamisen ohjelmaan.",
    "topic_wish.your_wish": "Toiveesi",
    "topic_wish.meeting": "Tapaaminen",
    "topic_wish.prebrief": "Saat tapaamisen ennakkotiedot viimeistään kolme päivää ennen sitä.",
    "topic_wish.more": "Onko mielessäsi muita aiheita? Voit toivoa niitä milloin tahansa:",
    # reminder and escalation
    "reminder.subject.one": "Muistutus: {title}",
    "reminder.subject.other": "Muistutus: {count} asiaa odottaa sinua",
    "reminder.intro": "Nämä asiakasraadin asiat odottavat toimiasi:",
    "escalation.subject.one": "Vaatii huomiota: {title}",
    "escalation.subject.other": "Vaatii huomiota: {count} asiaa on myöhässä",
    "escalation.intro": "Nämä asiakasraadin asiat ovat myöhässä, vaikka niistä on muistutettu. "
    "Selvitäthän tilanteen vastuuhenkilön tai palvelun kanssa.",
    "item.idea": "Idea",
    "item.prebrief": "Tapaamisen ennakkotiedot",
    "item.summary": "Tapaamisen yhteenveto",
    "item.due": "Määräaika: {due}",
    "item.overdue.one": "{count} päivä myöhässä",
    "item.overdue.other": "{count} päivää myöhässä",
    "item.due_soon": "ei vielä myöhässä",
    "item.responsible": "Vastuussa: {name}",
    "item.reminders.one": "{count} muistutus lähetetty",
    "item.reminders.other": "{count} muistutusta lähetetty",
    "item.open": "Avaa Raatissa",
    # survey_invitation
    "survey.subject": "Kerro mielipiteesi: {title}",
    "survey.intro": "Haluamme kuulla, miltä asiakasraadissa toimiminen on tuntunut. "
    "Vastauksesi auttavat kehittämään raadin työtä.",
    "survey.anonymous": "Vastaat nimettömänä: vastauksiasi ei yhdistetä sinuun.",
    "survey.minutes": "Vastaaminen vie noin {minutes} minuuttia.",
    "survey.answer": "Vastaa kyselyyn",
    "survey.once": "Linkki on henkilökohtainen ja toimii yhden kerran, joten älä jaa sitä eteenpäin.",
    "survey.closes": "Kysely sulkeutuu {when}.",
    "survey.thanks": "Kiitos, että vastaat!",
    # progress_report
    "progress_report.subject.one": "Raadin ideoiden tilanne: {count} idea",
    "progress_report.subject.other": "Raadin ideoiden tilanne: {count} ideaa",
    "progress_report.intro": "Tässä on asiakasraadin ideoiden tilannekatsaus ajalta {period}: "
    "kaikki raadin ideat ja se, mitä kullekin on tapahtunut.",
    "progress_report.promise": "Raati on luvannut, että kuulet, mitä jokaiselle idealle tapahtuu – "
    "myös silloin, kun idea ei etene. Siksi kerromme myös, mitkä ideat eivät etene ja miksi.",
    "progress_report.counts": "Ideat tiloittain",
    "progress_report.total.one": "Yhteensä {count} idea",
    "progress_report.total.other": "Yhteensä {count} ideaa",
    "progress_report.text.note": "Viimeisin tieto palvelulta",
    "progress_report.no_reason": "Perustelua ei ole vielä kirjattu.",
    "progress_report.no_ideas": "Raadissa ei ole vielä kirjattu ideoita.",
    "progress_report.thanks": "Kiitos, että olet mukana kehittämässä palveluita!",
}
