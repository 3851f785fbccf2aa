"""Test data made through the real actions (no fixtures that bypass the rules)."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

from timpora.operations import actions
from timpora.operations.choices import CheckResult, OperationStatus, ViolationType
from timpora.registry import actions as registry_actions
from timpora.registry.models import Person, TravelDocument
from timpora.registry.status import today_in_jakarta

KEL_BANTEN = "36.73.02.1007"
KEL_SAWAH_LUHUR = "36.73.02.1008"
KEL_TAKTAKAN = "36.73.06.1001"


def person(
    actor,
    *,
    number: str,
    valid_until: date | None = None,
    area_code: str = KEL_BANTEN,
    nationality: str = "CHN",
    category: str = "visit",
    index_code: str = "C1",
    name: str = "",
) -> Person:
    """A registry person with a passport, a permit and a stay (found by passport if made)."""
    existing = TravelDocument.objects.filter(number=number).select_related("person").first()
    if existing is not None:
        return existing.person
    today = today_in_jakarta()
    return registry_actions.register_person(
        registry_actions.PersonInput(
            surname=name or "TEST", given_names=number, nationality=nationality, sex="M"
        ),
        actor=actor,
        document=registry_actions.DocumentInput(number=number, issuing_state=nationality),
        permit=registry_actions.PermitInput(
            category=category,
            index_code=index_code,
            valid_until=valid_until or today + timedelta(days=200),
        ),
        stay=registry_actions.StayInput(area_code=area_code, date_from=today - timedelta(days=90)),
    )


def overstayer(actor, days: int, *, number: str | None = None, **kwargs) -> Person:
    """A person whose permit ran out ``days`` days before today (0: still valid today)."""
    return person(
        actor,
        number=number or f"OVR{days:03d}X",
        valid_until=today_in_jakarta() - timedelta(days=days),
        **kwargs,
    )


def operation(
    actor,
    *,
    members=(),
    areas=(KEL_BANTEN, KEL_SAWAH_LUHUR),
    running: bool = True,
    name: str = "Operasi Uji",
    order_number: str | None = None,
):
    """An operation in Kasemen with one team led by ``actor`` (running by default)."""
    today = today_in_jakarta()
    op = actions.plan_operation(
        actions.OperationInput(
            name=name,
            order_number=order_number or f"PRINT/{uuid.uuid4().hex[:8]}",
            order_date=today - timedelta(days=2),
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=1),
            area_codes=list(areas),
        ),
        actor=actor,
    )
    actions.save_team(op, name="Tim 1", leader=actor, members=list(members), actor=actor)
    if running:
        actions.change_status(op, OperationStatus.RUNNING, actor=actor)
    return op


def check(op, actor, *, result=CheckResult.VIOLATION, person_obj=None, **kwargs):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "result": result,
        "area_code": KEL_BANTEN,
        "observations": "Seen working at the harbour." if result == CheckResult.VIOLATION else "",
        "person_id": person_obj.pk if person_obj else None,
        **kwargs,
    }
    return actions.record_check(op, actions.CheckInput(**data), actor=actor)[0]


def decided_case(officer, head, person_obj, op, *, violations=(ViolationType.OVERSTAY,)):
    """A case from a violation check, examined and reviewed (ready for decisions)."""
    c = check(op, officer, person_obj=person_obj)
    case = actions.open_case(actor=officer, check=c, violations=list(violations))
    actions.add_examination(
        case,
        examined_on=today_in_jakarta(),
        examiner=officer,
        statement="Statement.",
        actor=officer,
    )
    review = actions.hold_review(
        case, held_on=today_in_jakarta(), chair=head, conclusion="Decided.", actor=officer
    )
    return case, review


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()
