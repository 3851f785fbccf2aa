"""Merges and splits in a real browser: the history on the person page, the old address
redirecting, a split through the form."""

from __future__ import annotations

import os
import re
from datetime import date

import pytest

from timpora.registry import actions as registry
from timpora.registry.actions import DocumentInput, PermitInput, PersonInput, StayInput
from timpora.registry.models import Person
from timpora.testing.browser import _log_in, _new_page

pytestmark = pytest.mark.browser


def _register(full_name: str, number: str):
    from timpora.accounts.models import User

    return registry.register_person(
        PersonInput(full_name=full_name, nationality="SAU", sex="M", birth_date=date(1985, 3, 2)),
        actor=User.objects.get(username="officer"),
        document=DocumentInput(number=number, issuing_state="SAU"),
        permit=PermitInput(category="visit", index_code="B1", valid_until=date(2030, 1, 1)),
        stay=StayInput(area_code="36.73.02.1007", date_from=date(2026, 1, 1)),
    )


def _shot(page, name: str) -> None:
    # For a look at the pages while developing: TIMPORA_MERGE_SCREENSHOTS=<directory>.
    folder = os.environ.get("TIMPORA_MERGE_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}", full_page=True)


def test_an_analyst_sees_the_merge_follows_the_old_address_and_splits(
    browser, live_server, base_data
):
    from timpora.accounts.models import User

    older = _register("Muhammad Al-Ghamdi", "A1234567")
    newer = _register("AL-GHAMDI, MOHAMED", "B7654321")
    registry.merge_persons(
        older, newer, actor=User.objects.get(username="analyst"), reason="same guest twice"
    )
    context, page, offsite = _new_page(
        browser, live_server, viewport={"width": 1280, "height": 1000}
    )
    try:
        _log_in(page, "analyst")
        page.goto(f"/registry/persons/{newer.pk}/")
        page.wait_for_url(re.compile(rf"/registry/persons/{older.pk}/$"))
        assert page.locator("[data-testid=merges]").inner_text().count("same guest twice") == 1
        _shot(page, "person-merged.png")

        page.goto("/registry/persons/?name=Mohamed+Al+Ghamdi")
        assert page.locator("table tbody tr").count() == 1  # the tombstone is not listed

        page.goto(f"/registry/persons/{older.pk}/split/")
        page.locator("label", has_text="B7654321").locator("input").check()
        page.fill("textarea[name=reason]", "two different men")
        _shot(page, "person-split.png")
        page.click("[data-testid=split-form] button[type=submit]")
        page.wait_for_url(re.compile(r"/registry/persons/\d+/$"))
        created = Person.objects.order_by("-pk").first()
        assert page.url.endswith(f"/registry/persons/{created.pk}/")
        assert "B7654321" in page.locator("[data-testid=documents]").inner_text()
        assert offsite.urls == []
    finally:
        context.close()
