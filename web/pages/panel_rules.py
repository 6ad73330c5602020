"""A panel's ground rules for its staff (``/panels/{id}/rules``): the versions, the current one in Finnish, Swedish
and English, who of the members has acknowledged it, and the coordinator's form to publish a new version.

The form calls ``publish_ground_rules``, as ``raati panel rules set`` does; its refusals (a language left empty,
the languages not one for one, nothing changed) are shown in the form. A second form publishes the customer panel
model's own rules again (``--default``). The members' own page is
``web/pages/ground_rules.py`` (``/m/{id}/rules``)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.participation.ground_rules import PublishGroundRules, publish_ground_rules
from application.reads.participation_pages import rules_page
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import DomainError, NotFound, PermissionDenied
from domain.ground_rules import MAX_RULES
from domain.values import Language
from notifications.i18n import Catalog
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.panels import FormProblem, field_problem

FIELDS = tuple(f"rules_{lang.value}" for lang in Language)
_COUNTS = re.compile(r"fi (\d+), sv (\d+), en (\d+)")
_TOO_MANY = re.compile(r"^(\d+) rules")
_TOO_LONG = re.compile(r"is (\d+) characters; at most (\d+)")


def rules_labels(t: Catalog) -> dict[str, str]:
    return {"rules_fi": t("Rules in Finnish"), "rules_sv": t("Rules in Swedish"), "rules_en": t("Rules in English")}


def lines(text: str) -> list[str]:
    """A textarea's rules: one a line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def refusal(error: DomainError, t: Catalog, sent: dict[str, str]) -> FormProblem:
    """``publish_ground_rules``'s refusal in the form's words, on the textarea it is about."""
    labels = rules_labels(t)
    name = str(getattr(error, "field", ""))
    reason = str(getattr(error, "reason", ""))
    control = name if name in labels else "rules_fi"
    label = labels[control]
    counts = _COUNTS.search(reason)
    if counts:
        message = t(
            "The languages must have the same rules, one for one and in the same order: now the Finnish has "
            "{fi}, the Swedish {sv} and the English {en}.",
            fi=counts.group(1),
            sv=counts.group(2),
            en=counts.group(3),
        )
    elif "nothing to publish" in reason:
        message = t("The rules are the same as the current version: there is nothing new to publish.")
    elif "no rules given" in reason:
        message = t("“{field}” is empty: fill it in.", field=label)
    elif name in labels and (many := _TOO_MANY.search(reason)):
        message = t(
            "“{field}” has {count} rules; at most {maximum} are allowed.",
            field=label,
            count=many.group(1),
            maximum=MAX_RULES,
        )
    elif name in labels and (long := _TOO_LONG.search(reason)):
        message = t(
            "A rule in “{field}” is {length} characters long; shorten it to at most {maximum}.",
            field=label,
            length=long.group(1),
            maximum=long.group(2),
        )
    else:
        _, message = field_problem(error, t, labels, default=control)
    return FormProblem("publish", control, message, sent)


def panel_rules_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def page(request: Request, actor: Actor, panel_id: int, *, problem: FormProblem | None = None) -> Response:
        t = pages.catalog(request, actor)
        try:
            shown = rules_page(actor, panel_id, uow=pages.uow_factory())
        except DomainError as error:
            return pages.problem(request, error, actor=actor)
        return pages.page(
            request,
            "panel_rules.html",
            actor=actor,
            status=422 if problem else 200,
            shown=shown,
            problem=problem or FormProblem(),
            rules_languages=[(lang.value, f"rules_{lang.value}") for lang in Language],
            language_labels={"fi": t("Finnish"), "sv": t("Swedish"), "en": t("English")},
            labels=rules_labels(t),
            day=lambda moment: t.format_date(moment.astimezone(PANEL_TZ).date()),
        )

    @router.get("/panels/{panel_id}/rules", response_class=HTMLResponse)
    def rules(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return page(request, actor, panel_id)

    @router.post("/panels/{panel_id}/rules")
    async def publish(request: Request, panel_id: int) -> Response:
        back = f"/panels/{panel_id}/rules"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "")[:40000] for name in FIELDS}
        try:
            published = publish_ground_rules(
                PublishGroundRules(
                    panel=str(panel_id),
                    rules={name.removeprefix("rules_"): lines(text) for name, text in sent.items()},
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            return page(request, actor, panel_id, problem=refusal(error, t, sent))
        request.session["flash"] = t(
            "Version {version} of the ground rules is published. The members are listed below as not yet having "
            "acknowledged it until they do.",
            version=published.version,
        )
        return RedirectResponse(back, status_code=303)

    @router.post("/panels/{panel_id}/rules/default")
    async def publish_default(request: Request, panel_id: int) -> Response:
        """The customer panel model's own rules as the next version (``raati panel rules set --default``)."""
        back = f"/panels/{panel_id}/rules"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            published = publish_ground_rules(
                PublishGroundRules(panel=str(panel_id), rules=None, actor=actor.name),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            refused = refusal(error, t, {})
            return page(request, actor, panel_id, problem=FormProblem("default", "", refused.message, {}))
        request.session["flash"] = t(
            "Version {version} of the ground rules is published. The members are listed below as not yet having "
            "acknowledged it until they do.",
            version=published.version,
        )
        return RedirectResponse(back, status_code=303)

    return router
