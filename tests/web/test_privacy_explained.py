"""A privacy finding explained to the writer (issue 18, item 3): the kind of detail and the words, in the page's
language, so that the text can be said more generally."""

from __future__ import annotations

from domain.errors import HealthDetailsNeedAcknowledgement, PrivacyBlocked
from domain.privacy_detectors import Kind, Severity, check_text
from web.errors import explain
from web.rendering import catalog_for

TEXT = "Isäni käyttää Marevania, ja hänellä todettiin eteisvärinä. Soita 040 123 4567."


def test_a_health_finding_names_the_kind_of_detail_and_the_words_in_fi_sv_and_en() -> None:
    health = [f for f in check_text(TEXT) if f.kind is Kind.HEALTH]
    expected = {
        "fi": ("terveystieto (lääke: ”Marevania”)", "terveystieto (diagnoosi: ”eteisvärinä”)"),
        "sv": ("en hälsouppgift (ett läkemedel: ”Marevania”)", "en hälsouppgift (en diagnos: ”eteisvärinä”)"),
        "en": ("a health detail (a medicine: “Marevania”)", "a health detail (a diagnosis: “eteisvärinä”)"),
    }
    for language, details in expected.items():
        explained = explain(HealthDetailsNeedAcknowledgement("note", health), catalog_for(language), text=TEXT)
        assert explained.details == details
        assert all(detail in explained.message for detail in details)
        assert [m.kind for m in explained.marks if m.kind] == [d.split("(")[1].split(":")[0] for d in details]


def test_an_identifier_finding_names_its_kind_and_the_words() -> None:
    blocking = [f for f in check_text(TEXT) if f.severity is Severity.BLOCK]
    explained = explain(PrivacyBlocked("note", blocking), catalog_for("fi"), text=TEXT)
    assert explained.details == ("puhelinnumero ”040 123 4567”",)
    assert "puhelinnumero ”040 123 4567”" in explained.message
