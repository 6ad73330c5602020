from pathlib import Path

import pytest

from tests.smtp.servers import Certificate, make_self_signed_certificate


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_self_signed_certificate(Path(tmp_path_factory.mktemp("tls")))
