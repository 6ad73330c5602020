"""Staff pages show stored (UTC) times as Helsinki time, across the daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime

from web.rendering import helsinki


def test_times_read_as_helsinki_time_in_summer_and_winter() -> None:
    assert helsinki(datetime(2026, 10, 13, 10, 0, tzinfo=UTC)) == "2026-10-13 13:00"  # EEST, UTC+3
    assert helsinki(datetime(2026, 11, 3, 11, 0, tzinfo=UTC)) == "2026-11-03 13:00"  # EET, UTC+2
    assert helsinki("2026-10-25T00:30:00+00:00") == "2026-10-25 03:30"  # the night the clocks go back
    assert helsinki("2026-10-25T01:30:00+00:00") == "2026-10-25 03:30"
