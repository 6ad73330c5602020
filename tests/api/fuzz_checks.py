"""A schemathesis hooks file (loaded by ``schemathesis run``, see test_fuzz.py): positive_data_acceptance, except
for the API's refusals that no schema can state, named one by one below.

Any other refusal of a request the document calls valid is still a finding (ST202), a refusal of the domain's
included: an empty title was one (the drill's), until the document stated the rule.
"""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

# 422 reasons that depend on what is stored, not on the request alone (existing ids in a combination that does
# not hold, or an idea's current state or service), so the document cannot rule them out.
STORED_STATE = re.compile(
    "|".join(
        (
            r"^service \d+ does not take part in panel \d+$",  # persistence: the service is another panel's
            r" is in several panels; give --panel or the service id$",  # persistence: a name two panels use
            r"^an idea sent to a service needs the service$",  # domain.ideas: the idea has no service yet
            r"^can be chosen only when the idea is sent to a service$",  # domain.ideas: it has another one
            r"^the idea is \w+; only open ideas take notes$",  # domain.ideas: the idea is closed
        )
    )
)


def _stored_state_or_privacy(body: bytes) -> bool:
    try:
        problem: Any = json.loads(body)
    except ValueError:
        return False
    if not isinstance(problem, dict):
        return False
    if problem.get("findings"):
        return True  # the privacy guard: an identifier or health details found in the text itself
    errors = problem.get("errors") or []
    return bool(errors) and all(STORED_STATE.search(str(error.get("reason", ""))) for error in errors)


@schemathesis.check
def positive_data_acceptance_unless_stored_state(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code == 422 and _stored_state_or_privacy(response.content):
        return None
    return positive_data_acceptance(ctx, response, case)
