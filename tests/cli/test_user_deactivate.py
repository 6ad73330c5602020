"""``raati user deactivate EMAIL`` and ``activate``: a deactivated staff user's API token stops working at once, and
the tokens `raati user add --json` and `raati user token` print keep working for scripts until then."""

from __future__ import annotations

import json

from tests.cli.harness import Raati, Run


def ok(run: Run) -> dict:
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_deactivating_revokes_the_token_and_activating_lets_a_new_one_be_issued(raati: Raati) -> None:
    ok(raati("panel", "create", "Raati", "--json"))
    added = ok(raati("user", "add", "k@example.org", "--role", "coordinator", "--panel", "Raati", "--json"))
    assert added["token"]
    assert added["active"] is True
    reissued = ok(raati("user", "token", "k@example.org", "--json"))
    assert reissued["token"]
    assert reissued["revoked"] == 1

    off = ok(raati("user", "deactivate", "k@example.org", "--json"))

    assert (off["active"], off["changed"], off["tokens_revoked"], off["sessions_ended"]) == (False, True, 1, 0)
    assert ok(raati("user", "deactivate", "k@example.org", "--json"))["changed"] is False
    refused = raati("user", "token", "k@example.org")
    assert refused.code == 2
    assert "email: k@example.org is deactivated" in refused.err
    said = raati("user", "activate", "k@example.org")
    assert said.code == 0, said.err
    assert "is active again" in said.out
    assert ok(raati("user", "token", "k@example.org", "--json"))["revoked"] == 0


def test_an_unknown_user_is_refused_naming_the_field(raati: Raati) -> None:
    refused = raati("user", "deactivate", "nobody@example.org")

    assert refused.code == 2
    assert "user" in refused.err
