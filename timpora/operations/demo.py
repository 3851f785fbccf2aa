"""The operations' part of ``timpora demo seed``: a finished joint operation on the coast of
Kasemen with its checks, two cases up to the signed and followed-up decisions (an overstay
settled with a fee; a foreigner working on a visit permit, detained and deported), and a
planned operation.

Everything goes through the actions, as a user would, so the audit trail tells the story.
Idempotent: an operation is recognised by its order number and not made twice. The persons
are picked from the registry demo (Kasemen, expired permit; visit permit) and registered
through ``timpora.registry.actions`` when the registry has none that fit.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import User
from timpora.core.demo import OFFICE, Persona
from timpora.operations import actions, rules
from timpora.operations.choices import ActionType, CheckResult, OperationStatus, ViolationType
from timpora.operations.models import JointOperation
from timpora.registry import actions as registry_actions
from timpora.registry.models import Person, TravelDocument
from timpora.registry.status import JAKARTA, today_in_jakarta

HEAD_PERSONA = Persona("head", Role.HEAD_OF_OFFICE, OFFICE, None, "Kepala", "Kantor")

KASEMEN = "36.73.02"
KEL_BANTEN = "36.73.02.1007"
KEL_SAWAH_LUHUR = "36.73.02.1008"
FINISHED_ORDER = "PRINT-DEMO/OPSGAB/01"
PLANNED_ORDER = "PRINT-DEMO/OPSGAB/02"
# The finished operation ran this many days ago; its decisions followed a few days later.
RAN_DAYS_AGO = 21
DECIDED_DAYS_AGO = 14


def _user(role: str, agency_type: str, *, scoped: bool | None = None) -> User | None:
    qs = User.objects.filter(is_active=True, role=role, agency__agency_type=agency_type)
    if scoped is not None:
        qs = qs.filter(scope_area__isnull=not scoped)
    return qs.select_related("agency", "scope_area").order_by("id").first()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JAKARTA)


def _photo(colour: tuple[int, int, int]) -> bytes:
    """A plain demo photo (no real person's image in the demo)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((40, 40, 600, 440), outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _in_kasemen():
    return Person.objects.filter(Q(kecamatan_code=KASEMEN) | Q(stays__kecamatan_code=KASEMEN))


def _overstayer(decided: date, actor) -> Person:
    """A person in Kasemen whose permit ran out 5–40 days before the decision: a fee case."""
    person = (
        _in_kasemen()
        .filter(
            current_permit_valid_until__lt=decided - timedelta(days=5),
            current_permit_valid_until__gte=decided - timedelta(days=40),
            tak_cases__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if person is not None:
        return person
    existing = TravelDocument.objects.filter(number="DEMOOPS01").select_related("person").first()
    if existing is not None:
        return existing.person
    return registry_actions.register_person(
        registry_actions.PersonInput(
            surname="LIU",
            given_names="WEI",
            sex="M",
            birth_date=date(1988, 4, 2),
            nationality="CHN",
        ),
        actor=actor,
        document=registry_actions.DocumentInput(number="DEMOOPS01", issuing_state="CHN"),
        permit=registry_actions.PermitInput(
            category="visit",
            index_code="C1",
            valid_until=decided - timedelta(days=12),
            purpose="tourism",
        ),
        stay=registry_actions.StayInput(
            area_code=KEL_BANTEN,
            date_from=decided - timedelta(days=70),
            address="Jl. Pelabuhan Karangantu",
        ),
    )


def _visit_worker(exclude: set[int], actor) -> Person:
    """A person in Kasemen on a visit permit still valid: found working, so deported."""
    today = today_in_jakarta()
    person = (
        _in_kasemen()
        .filter(current_permit_category="visit", current_permit_valid_until__gt=today)
        .exclude(pk__in=exclude)
        .filter(tak_cases__isnull=True)
        .order_by("id")
        .first()
    )
    if person is not None:
        return person
    existing = TravelDocument.objects.filter(number="DEMOOPS02").select_related("person").first()
    if existing is not None:
        return existing.person
    return registry_actions.register_person(
        registry_actions.PersonInput(
            surname="NGUYEN",
            given_names="VAN AN",
            sex="M",
            birth_date=date(1992, 9, 14),
            nationality="VNM",
        ),
        actor=actor,
        document=registry_actions.DocumentInput(number="DEMOOPS02", issuing_state="VNM"),
        permit=registry_actions.PermitInput(
            category="visit",
            index_code="B1",
            valid_until=today + timedelta(days=20),
            purpose="tourism",
        ),
        stay=registry_actions.StayInput(
            area_code=KEL_SAWAH_LUHUR,
            date_from=today - timedelta(days=RAN_DAYS_AGO + 10),
            address="Kampung Nelayan Sawah Luhur",
        ),
    )


def _compliant(exclude: set[int]) -> Person | None:
    today = today_in_jakarta()
    return (
        _in_kasemen()
        .filter(current_permit_valid_until__gt=today + timedelta(days=60))
        .exclude(pk__in=exclude)
        .order_by("id")
        .first()
    )


def _village_in_kasemen(person: Person) -> str:
    """The person's kelurahan when it is one in Kasemen, else kelurahan Banten."""
    code = person.kelurahan_code
    if code.startswith(KASEMEN + ".") and len(code.split(".")) == 4:
        return code
    return KEL_BANTEN


def _decide(case, *, review, plans, decided, head, officer, number_prefix):
    """Draft, sign and follow up each planned action ``(type, details, follow_up)``."""
    for n, (action_type, details, follow_up) in enumerate(plans, start=1):
        action = actions.draft_action(
            review,
            action_type=action_type,
            decision_number=f"{number_prefix}.{n:02d}",
            decision_date=decided,
            details=details,
            actor=officer,
        )
        actions.sign_action(action, actor=head)
        actions.record_follow_up(action, follow_up, actor=officer)


@transaction.atomic
def _finished_operation(officer, head, police, lurah) -> JointOperation:
    today = today_in_jakarta()
    ran = today - timedelta(days=RAN_DAYS_AGO)
    decided = today - timedelta(days=DECIDED_DAYS_AGO)
    overstayer = _overstayer(decided, officer)
    worker = _visit_worker({overstayer.pk}, officer)
    compliant = _compliant({overstayer.pk, worker.pk})
    operation = actions.plan_operation(
        actions.OperationInput(
            name="Operasi Gabungan Pesisir Kasemen",
            order_number=FINISHED_ORDER,
            order_date=ran - timedelta(days=3),
            starts_on=ran,
            ends_on=ran + timedelta(days=1),
            briefing_notes=(
                "Pengawasan orang asing di kawasan pesisir Kasemen (Banten, Sawah Luhur): "
                "penginapan dan tempat kerja sekitar pelabuhan. Titik kumpul Polsek Kasemen "
                "pukul 08.00 WIB."
            ),
            area_codes=[KEL_BANTEN, KEL_SAWAH_LUHUR],
            person_ids=[overstayer.pk, worker.pk],
        ),
        actor=officer,
    )
    members = [m for m in (police, lurah) if m is not None]
    actions.save_team(operation, name="Tim 1", leader=officer, members=members, actor=officer)
    actions.change_status(operation, OperationStatus.RUNNING, actor=officer)
    checks = []
    if compliant is not None:
        checks.append(
            actions.record_check(
                operation,
                actions.CheckInput(
                    client_uuid="00000000-0000-4000-8000-00000000d001",
                    result=CheckResult.COMPLIANT,
                    checked_at=_at(ran, 9, 15),
                    person_id=compliant.pk,
                    area_code=_village_in_kasemen(compliant),
                    location_note="Penginapan dekat Pelabuhan Karangantu",
                    observations="Dokumen lengkap, izin tinggal berlaku.",
                ),
                actor=officer,
            )[0]
        )
    overstay_check, _created = actions.record_check(
        operation,
        actions.CheckInput(
            client_uuid="00000000-0000-4000-8000-00000000d002",
            result=CheckResult.VIOLATION,
            checked_at=_at(ran, 10, 40),
            person_id=overstayer.pk,
            area_code=KEL_BANTEN,
            location_note="Rumah kontrakan, Kampung Kenari",
            observations="Izin tinggal sudah habis; paspor ditunjukkan.",
            photos=[_photo((14, 116, 110))],
        ),
        actor=officer,
    )
    worker_check, _created = actions.record_check(
        operation,
        actions.CheckInput(
            client_uuid="00000000-0000-4000-8000-00000000d003",
            result=CheckResult.VIOLATION,
            checked_at=_at(ran, 13, 5),
            person_id=worker.pk,
            area_code=KEL_SAWAH_LUHUR,
            location_note="Tempat pengolahan ikan",
            observations="Bekerja sebagai pengawas produksi dengan izin kunjungan (visa B1).",
            photos=[_photo((29, 78, 216))],
        ),
        actor=police or officer,
    )
    actions.record_check(
        operation,
        actions.CheckInput(
            client_uuid="00000000-0000-4000-8000-00000000d004",
            result=CheckResult.NOT_FOUND,
            checked_at=_at(ran, 15, 30),
            area_code=KEL_SAWAH_LUHUR,
            location_note="Alamat sesuai laporan; penghuni sudah pindah",
            observations="Menurut pengurus RT, orang asing tersebut pindah dua minggu lalu.",
        ),
        actor=officer,
    )
    checks += [overstay_check, worker_check]

    # Case 1: overstay within 60 days → fee, paid.
    case = actions.open_case(
        actor=officer, check=overstay_check, violations=[ViolationType.OVERSTAY]
    )
    actions.add_examination(
        case,
        examined_on=ran + timedelta(days=1),
        examiner=officer,
        place=OFFICE,
        statement="Yang bersangkutan mengakui izin tinggalnya telah habis dan bersedia membayar.",
        actor=officer,
    )
    review = actions.hold_review(
        case,
        held_on=decided,
        chair=head,
        participants=[officer],
        conclusion="Overstay kurang dari 60 hari: dikenakan biaya beban (Pasal 78 ayat (2)).",
        actor=officer,
    )
    per_day = settings.TIMPORA_OVERSTAY_FEE_PER_DAY
    if rules.assess_overstay(overstayer.current_permit_valid_until, decided, per_day).fee:
        plans = [(ActionType.FEE, "", actions.FollowUpInput(paid_on=decided))]
    else:
        # The registry person no longer fits (a later extension): deport as Art. 78(3) says.
        plans = [
            (
                ActionType.DEPORTATION,
                "",
                actions.FollowUpInput(deported_on=decided, flight="GA 880 CGK-PVG"),
            )
        ]
    _decide(
        case,
        review=review,
        plans=plans,
        decided=decided,
        head=head,
        officer=officer,
        number_prefix=f"W9.IMI.6-DEMO-{decided:%Y}.001",
    )

    # Case 2: working on a visit permit → detention pending deportation, deportation, ban.
    case = actions.open_case(
        actor=officer, check=worker_check, violations=[ViolationType.ACTIVITY_MISMATCH]
    )
    actions.add_examination(
        case,
        examined_on=ran + timedelta(days=1),
        examiner=officer,
        place=OFFICE,
        interpreter="Penerjemah bahasa Vietnam",
        statement="Yang bersangkutan bekerja di tempat pengolahan ikan sejak satu bulan.",
        actor=officer,
    )
    review = actions.hold_review(
        case,
        held_on=decided,
        chair=head,
        participants=[officer, *([police] if police else [])],
        other_participants="Perwakilan Disnaker Kota Serang",
        conclusion="Kegiatan tidak sesuai izin tinggal: didetensi, dideportasi dan ditangkal.",
        actor=officer,
    )
    deported = decided + timedelta(days=3)
    _decide(
        case,
        review=review,
        plans=[
            (
                ActionType.DETENTION,
                "Menunggu pemulangan",
                actions.FollowUpInput(
                    detention_place="Rudenim Jakarta",
                    detention_from=decided,
                    detention_until=deported,
                ),
            ),
            (
                ActionType.DEPORTATION,
                "",
                actions.FollowUpInput(deported_on=deported, flight="VN 630 CGK-SGN"),
            ),
            (
                ActionType.BAN_LIST,
                "Penangkalan 6 bulan",
                actions.FollowUpInput(ban_until=deported + timedelta(days=182)),
            ),
        ],
        decided=decided,
        head=head,
        officer=officer,
        number_prefix=f"W9.IMI.6-DEMO-{decided:%Y}.002",
    )
    actions.change_status(operation, OperationStatus.FINISHED, actor=officer)
    return operation


@transaction.atomic
def _planned_operation(officer, police, lurah) -> JointOperation:
    today = today_in_jakarta()
    operation = actions.plan_operation(
        actions.OperationInput(
            name="Operasi Gabungan Kasemen Tahap II",
            order_number=PLANNED_ORDER,
            order_date=today,
            starts_on=today + timedelta(days=10),
            ends_on=today + timedelta(days=11),
            briefing_notes="Tindak lanjut peringatan dini di Kasemen.",
            area_codes=[KEL_BANTEN, KEL_SAWAH_LUHUR, "36.73.02.1003"],
        ),
        actor=officer,
    )
    members = [m for m in (police, lurah) if m is not None]
    actions.save_team(operation, name="Tim Pesisir", leader=officer, members=members, actor=officer)
    return operation


def seed_operations(**options) -> dict:
    """Make sure the demo operations exist; returns a summary."""
    officer = _user(Role.OFFICER, AgencyType.IMMIGRATION, scoped=False)
    head = _user(Role.HEAD_OF_OFFICE, AgencyType.IMMIGRATION)
    if officer is None or head is None:
        raise RuntimeError("the demo operations need an immigration officer and a head of office")
    police = (
        User.objects.filter(
            is_active=True,
            role=Role.TEAM_MEMBER,
            agency__agency_type=AgencyType.POLICE,
            scope_area__code=KASEMEN,
        )
        .order_by("id")
        .first()
    )
    lurah = (
        User.objects.filter(is_active=True, role=Role.TEAM_MEMBER, scope_area__code=KEL_BANTEN)
        .exclude(agency__agency_type=AgencyType.POLICE)
        .order_by("id")
        .first()
    )
    added = []
    if not JointOperation.objects.filter(order_number=FINISHED_ORDER).exists():
        added.append(_finished_operation(officer, head, police, lurah).pk)
    if not JointOperation.objects.filter(order_number=PLANNED_ORDER).exists():
        added.append(_planned_operation(officer, police, lurah).pk)
    return {
        "operations": {
            "operations": JointOperation.objects.filter(
                order_number__in=[FINISHED_ORDER, PLANNED_ORDER]
            ).count(),
            "added": added,
        }
    }
