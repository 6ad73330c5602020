"""The command-line fixture for the participation tests (ground rules, topic wishes, attendance)."""

from tests.cli.conftest import raati  # noqa: F401  (the fixture)
