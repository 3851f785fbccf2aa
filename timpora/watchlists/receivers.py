"""Screening persons as they arrive: new reports and changed registry persons.

Intake announces the persons of stored reports (``timpora.intake.signals.reports_stored``);
registry writes are seen through ``post_save`` of ``Person`` and ``TravelDocument`` (bulk
loads bypass both and wait for the daily run). The persons of one transaction are gathered
and screened once, after it commits: at once through the in-memory index when they are few,
as a background job when an import chunk brings thousands.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)

#: More persons than this in one transaction are screened by a background job.
AT_ONCE_LIMIT = 500


class _Pending:
    """The persons gathered in one transaction (tied to its list of commit hooks)."""

    def __init__(self, hooks: list) -> None:
        self.hooks = hooks
        self.ids: set[int] = set()
        self.done = False


# Per thread, like Django's database connections.
_state = threading.local()


def schedule_persons(person_ids: Iterable[int | None]) -> None:
    """Screen these persons once the current transaction commits (at once in autocommit)."""
    ids = {int(i) for i in person_ids if i}
    if not ids:
        return
    pending: _Pending | None = getattr(_state, "pending", None)
    # Django replaces the list of commit hooks at every commit and rollback, so a list seen
    # before means the same transaction is still running and already has our hook.
    if pending is None or pending.done or pending.hooks is not connection.run_on_commit:
        pending = _Pending(connection.run_on_commit)
        pending.ids.update(ids)
        _state.pending = pending
        transaction.on_commit(lambda: _flush(pending))
        return
    pending.ids.update(ids)


def _flush(pending: _Pending) -> None:
    pending.done = True
    ids = sorted(pending.ids)
    if len(ids) > AT_ONCE_LIMIT:
        from timpora.watchlists.tasks import enqueue_person_screening

        enqueue_person_screening(ids)
        return
    from timpora.watchlists import actions

    try:
        actions.screen_persons(ids)
    except Exception:
        # The report or the person is stored already; a failed screening must not turn the
        # user's save into an error page. The daily run screens everyone again.
        log.exception("watch-list screening of %s person(s) failed", len(ids))


def on_reports_stored(sender, person_ids: Iterable[int | None] = (), **kwargs) -> None:
    """Receiver of ``timpora.intake.signals.reports_stored``."""
    schedule_persons(person_ids)


def on_person_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        schedule_persons([instance.pk])


def on_document_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        schedule_persons([instance.person_id])


def connect() -> None:
    from timpora.intake.signals import reports_stored
    from timpora.registry.models import Person, TravelDocument

    reports_stored.connect(on_reports_stored, dispatch_uid="watchlists.on_reports_stored")
    post_save.connect(on_person_saved, sender=Person, dispatch_uid="watchlists.person_saved")
    post_save.connect(
        on_document_saved, sender=TravelDocument, dispatch_uid="watchlists.document_saved"
    )
