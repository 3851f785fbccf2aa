"""Background jobs of entity resolution, run by the task worker (``timpora db_worker``).

- ``rebuild_match_keys`` recomputes every person's match keys and fuzzy name search keys
  (as ``timpora match rebuild-keys`` does), after a model change or a restore, without
  holding a request.
- ``scan_persons`` looks for likely duplicates of the given registered persons and queues
  them for review (as ``timpora match scan --persons`` does), e.g. after a bulk correction.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.audit.context import origin


@task()
def rebuild_match_keys() -> dict[str, Any]:
    """Recompute the keys of every person, 100,000 per transaction."""
    from timpora.matching.keys import rekey_all
    from timpora.matching.resolver import forget_population

    with origin(channel="task", task="rebuild_match_keys"):
        result = rekey_all()
        forget_population()
        record(
            AuditAction.UPDATE,
            object_type="matching.personmatchkey",
            object_repr="match keys rebuilt",
            fields=result,
        )
    return result


@task()
def scan_persons(person_ids: list[int]) -> dict[str, Any]:
    """Queue the likely duplicates of these persons (merged persons are skipped)."""
    from timpora.matching.actions import scan_person
    from timpora.registry.models import Person

    queued = 0
    with origin(channel="task", task="scan_persons"):
        persons = Person.objects.filter(pk__in=person_ids, merged_into__isnull=True)
        for person in persons.order_by("pk").iterator(chunk_size=1000):
            queued += len(scan_person(person))
    return {"persons": len(person_ids), "queued": queued}
