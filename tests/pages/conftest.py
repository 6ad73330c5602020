"""The integration tests' small panel (``world``), for the read-model tests."""

from tests.integration.conftest import world  # noqa: F401  (the fixture)
