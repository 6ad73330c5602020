"""The panels' local time: meetings happen, and due times are counted, in Helsinki."""

from __future__ import annotations

from zoneinfo import ZoneInfo

PANEL_TZ = ZoneInfo("Europe/Helsinki")
