"""Staff pages show stored (UTC) times as Helsinki time, across the daylight-saving change, written as each
language writes them (the mail's patterns), and numbers with the language's decimal sign."""

from __future__ import annotations

from datetime import UTC, datetime

from web.rendering import catalog_for


def test_times_read_as_helsinki_time_in_summer_and_winter() -> None:
    fi = catalog_for("fi")
    assert fi.format_when(datetime(2026, 10, 13, 10, 0, tzinfo=UTC)) == "13.10.2026 klo 13.00"  # EEST, UTC+3
    assert fi.format_when(datetime(2026, 11, 3, 11, 0, tzinfo=UTC)) == "3.11.2026 klo 13.00"  # EET, UTC+2
    assert fi.format_when("2026-10-25T00:30:00+00:00") == "25.10.2026 klo 3.30"  # the night the clocks go back
    assert fi.format_when("2026-10-25T01:30:00+00:00") == "25.10.2026 klo 3.30"


def test_each_language_writes_dates_and_numbers_its_own_way() -> None:
    moment = datetime(2027, 1, 15, 15, 0, tzinfo=UTC)

    assert catalog_for("fi").format_when(moment) == "15.1.2027 klo 17.00"
    assert catalog_for("sv").format_when(moment) == "15.1.2027 kl. 17.00"
    assert catalog_for("en").format_when(moment) == "15 January 2027 at 17:00"
    assert [catalog_for(code).format_number(4.0) for code in ("fi", "sv", "en")] == ["4,0", "4,0", "4.0"]
