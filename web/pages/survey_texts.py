"""The words of the survey answer page in Finnish, Swedish and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "intro": "Vastaat nimettömänä: vastauksiasi ei yhdistetä sinuun.",
        "once": "Linkki toimii yhden kerran. Voit jättää minkä tahansa kysymyksen väliin valitsemalla "
        "”En halua vastata”.",
        "statements": "Kuinka samaa mieltä olet seuraavista väittämistä?",
        "skip": "En halua vastata",
        "recommendation": "Asteikolla 1–10: suosittelisitko asiakasraatia?",
        "recommendation_hint": "1 = en todennäköisesti suosittele, 10 = suosittelen hyvin todennäköisesti.",
        "comment": "Mitä muuta haluat sanoa? (vapaaehtoinen)",
        "comment_hint": "Älä kirjoita nimiä, puhelinnumeroita, sähköpostiosoitteita tai henkilötunnuksia.",
        "submit": "Lähetä vastaukset",
        "fix": "Vastauksia ei vielä lähetetty. Tarkista:",
        "error.statement": "Valitse jokaiseen väittämään vaihtoehto tai ”En halua vastata”.",
        "error.statements": "Lomake oli vanhentunut. Lataa sivu uudelleen.",
        "error.recommendation": "Valitse luku 1–10 tai ”En halua vastata”.",
        "error.comment": "Poista kommentista yhteystiedot ja henkilötunnukset, jotta vastauksesi pysyy nimettömänä.",
        "too_long": "Vastaus oli liian pitkä.",
        "thanks_title": "Kiitos!",
        "thanks": "Kiitos vastauksistasi! Ne on tallennettu nimettöminä.",
        "used_title": "Linkki on jo käytetty",
        "used": "Tällä linkillä on jo vastattu, ja vastaus on tallessa. Jokainen linkki toimii vain kerran.",
        "closed_title": "Kysely on sulkeutunut",
        "closed": "Kysely on sulkeutunut, eikä siihen voi enää vastata. Kiitos kiinnostuksestasi!",
    },
    "sv": {
        "intro": "Du svarar anonymt: dina svar kopplas inte till dig.",
        "once": "Länken fungerar en gång. Du kan hoppa över vilken fråga som helst genom att välja "
        "”Jag vill inte svara”.",
        "statements": "Hur väl instämmer du i följande påståenden?",
        "skip": "Jag vill inte svara",
        "recommendation": "På en skala 1–10: skulle du rekommendera kundrådet?",
        "recommendation_hint": "1 = sannolikt inte, 10 = mycket sannolikt.",
        "comment": "Vill du säga något mer? (frivilligt)",
        "comment_hint": "Skriv inte namn, telefonnummer, e-postadresser eller personbeteckningar.",
        "submit": "Skicka svaren",
        "fix": "Svaren har inte skickats ännu. Kontrollera:",
        "error.statement": "Välj ett alternativ eller ”Jag vill inte svara” för varje påstående.",
        "error.statements": "Formuläret var föråldrat. Ladda om sidan.",
        "error.recommendation": "Välj ett tal 1–10 eller ”Jag vill inte svara”.",
        "error.comment": "Ta bort kontaktuppgifter och personbeteckningar ur kommentaren så att du förblir anonym.",
        "too_long": "Svaret var för långt.",
        "thanks_title": "Tack!",
        "thanks": "Tack för dina svar! De har sparats anonymt.",
        "used_title": "Länken har redan använts",
        "used": "Den här länken har redan använts för att svara, och svaret har sparats. "
        "Varje länk fungerar bara en gång.",
        "closed_title": "Enkäten har stängt",
        "closed": "Enkäten har stängt och tar inte längre emot svar. Tack för ditt intresse!",
    },
    "en": {
        "intro": "You answer anonymously: your answers are not linked to you.",
        "once": "The link works once. You can skip any question by choosing “I'd rather not answer”.",
        "statements": "How much do you agree with the following statements?",
        "skip": "I'd rather not answer",
        "recommendation": "On a scale of 1–10: would you recommend the customer panel?",
        "recommendation_hint": "1 = not likely at all, 10 = very likely.",
        "comment": "Anything else you would like to say? (optional)",
        "comment_hint": "Please do not write names, phone numbers, email addresses or identity codes.",
        "submit": "Send my answers",
        "fix": "Your answers have not been sent yet. Please check:",
        "error.statement": "Choose an option, or “I'd rather not answer”, for every statement.",
        "error.statements": "The form was out of date. Please reload the page.",
        "error.recommendation": "Choose a number from 1 to 10, or “I'd rather not answer”.",
        "error.comment": "Remove contact details and identity codes from your comment so that it stays anonymous.",
        "too_long": "The answer was too long.",
        "thanks_title": "Thank you!",
        "thanks": "Thank you for your answers! They have been stored anonymously.",
        "used_title": "This link has been used",
        "used": "This link has already been used to answer, and the answer is stored. Each link works only once.",
        "closed_title": "The survey has closed",
        "closed": "The survey has closed and takes no more answers. Thank you for your interest!",
    },
}

# An unknown link says nothing of whose it might be, so it speaks all three languages.
UNKNOWN_PAGE = (
    "Linkkiä ei löydy – Länken hittades inte – Link not found",
    "<p lang='fi'>Tätä kyselylinkkiä ei tunneta. Tarkista, että kopioit koko linkin sähköpostista.</p>"
    "<p lang='sv'>Den här enkätlänken är okänd. Kontrollera att du kopierade hela länken ur e-postmeddelandet.</p>"
    "<p lang='en'>This survey link is not known. Please check that you copied the whole link from the email.</p>",
)
