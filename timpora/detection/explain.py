"""Alert explanations in the reader's language, from the stored facts.

Facts are stored as data; the sentence is rendered when shown, so the same alert reads in
Bahasa Indonesia or English, and a correction of a template applies to old alerts too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.translation import gettext as _

from timpora.detection.engine.rules import RULES

_WORDS = {"permit": "stay permit", "document": "travel document"}


def explanation(
    rule_code: str,
    facts: dict[str, Any],
    as_of,
    language: str | None = None,
) -> str:
    """The alert's sentence: what the rule found, the recommendation and the law article."""
    rule = RULES.get(rule_code)
    if rule is None:
        return rule_code
    with translation.override(language or translation.get_language()):
        values = dict(facts)
        values["as_of"] = str(as_of)
        if "missing" in values:
            values["missing"] = _(" or ").join(_(_WORDS.get(m, m)) for m in values["missing"])
        if "fee" in values:
            values["fee"] = intcomma(values["fee"])
        for name, formatter in rule.formatters.items():
            if name in values:
                values[name] = formatter(values[name], _)
        text = _(rule.explanation) % values
        recommendation = rule.recommendations.get(facts.get("recommendation", ""))
        if recommendation:
            text += " " + _(recommendation) % values
        return f"{text} ({rule.law})"


def rule_title(rule_code: str) -> str:
    rule = RULES.get(rule_code)
    return _(rule.title) if rule else rule_code
