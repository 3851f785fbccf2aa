"""The review queue in a real browser: an analyst opens a pair, sees both records and the
evidence side by side, merges, and the queue moves on."""

from __future__ import annotations

import re
from datetime import date

import pytest

from timpora.matching.models import MatchCandidate
from timpora.registry.models import Person
from timpora.testing.browser import _log_in, _new_page, _screenshot

pytestmark = pytest.mark.browser


def test_an_analyst_reviews_and_merges_a_pair(browser, live_server, base_data):
    from timpora.accounts.models import User
    from timpora.matching.tests.conftest import register

    officer = User.objects.get(username="officer")
    older = register(officer, "MUHAMMAD AL-GHAMDI", date(1980, 5, 1), "SAU", "K12345678")
    newer = register(officer, "AL GHAMDI, MOHAMED", date(1980, 1, 5), "SAU", "K1234S678")
    pair = MatchCandidate.objects.get(person_a=older, person_b=newer)
    context, page, offsite = _new_page(
        browser, live_server, viewport={"width": 1280, "height": 1000}
    )
    try:
        _log_in(page, "analyst")
        page.goto("/matching/review/")
        page.click(f"tr[data-pair='{pair.pk}'] [data-testid=open-pair]")
        page.wait_for_url(re.compile(rf"/matching/review/{pair.pk}/$"))
        assert page.locator("[data-testid=name-a]").inner_text() == "MUHAMMAD AL-GHAMDI"
        assert page.locator("[data-testid=name-b]").inner_text() == "AL GHAMDI, MOHAMED"
        evidence = page.locator("[data-testid=evidence]")
        assert evidence.locator("tbody tr").count() == 5
        assert "K1234S678" in evidence.inner_text()
        _screenshot(page, "review-pair.png")
        page.fill("textarea[name=reason]", "same passport photo")
        page.click("[data-testid=accept]")
        page.wait_for_url(re.compile(r"/matching/review/$"))
        assert Person.objects.get(pk=newer.pk).merged_into_id == older.pk
        assert offsite.urls == []
    finally:
        context.close()
