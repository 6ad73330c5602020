"""The command-line fixture for the member rights tests."""

from tests.cli.conftest import raati  # noqa: F401  (the fixture)
