"""The coordination part of ``timpora demo seed``: the TIMPORA teams of Kota Serang.

- the city team (*Tim PORA Kota Serang*), formed by a decree of the head of the immigration
  office (*Kakanim*), who chairs it; its members come from the agencies of the core demo;
- a team in every one of the 67 kelurahan of Kota Serang (the office formed them on
  12 October 2021), chaired by the lurah, with the village's Babinsa (military) and
  Bhabinkamtibmas (police) as members;
- a past coordination meeting with attendance, minutes and decisions, and a few problems
  with agreed solutions and follow-ups, one of them overdue.

Every person named here is fictional, except where a demo persona is linked (then the
persona's name is used). Idempotent: a second run finds what the first made and adds
nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction

from timpora.accounts import actions as account_actions
from timpora.accounts.choices import AgencyType
from timpora.accounts.models import Agency, User
from timpora.areas.models import Area
from timpora.coordination import actions, queries
from timpora.coordination.choices import FollowUpStatus, ProblemCategory, TeamRole
from timpora.coordination.models import Decree, Meeting, Problem, Team
from timpora.core import demo as core_demo
from timpora.registry.status import JAKARTA, today_in_jakarta

KOTA_SERANG = "36.73"
KASEMEN = "36.73.02"
ISSUER = "Kepala Kantor Imigrasi Kelas I Non TPI Serang"
KELURAHAN_DECREE = "W11.IMI.IMI.1-GR.01.01-1021/DEMO"
KELURAHAN_DECREE_DATE = date(2021, 10, 12)
MEETING_LETTER = "W11.IMI.IMI.1-UM.01.01-DEMO-RAKOR"

POLRESTA = "Kepolisian Resor Serang Kota"
POLSEK_KASEMEN = "Kepolisian Sektor Kasemen"
KODIM = "Komando Distrik Militer 0602/Serang"

# (agency name from the core demo, position, role, fictional name, demo username to link)
CITY_TEAM: list[tuple[str, str, str, str, str | None]] = [
    (core_demo.OFFICE, ISSUER, TeamRole.CHAIR, "Dr. Hendra Gunawan", "head"),
    (
        core_demo.OFFICE,
        "Kepala Seksi Intelijen dan Penindakan Keimigrasian",
        TeamRole.SECRETARY,
        "Budi Santoso",
        "officer",
    ),
    (core_demo.OFFICE, "Analis Keimigrasian", TeamRole.MEMBER, "Rina Marlina", "analyst"),
    (
        "Badan Kesatuan Bangsa dan Politik Kota Serang",
        "Kepala Badan Kesbangpol Kota Serang",
        TeamRole.MEMBER,
        "Drs. Asep Saepudin",
        None,
    ),
    (POLRESTA, "Kepala Satuan Intelijen Keamanan", TeamRole.MEMBER, "Kompol Arif Rahman", None),
    (POLSEK_KASEMEN, "Kepala Kepolisian Sektor Kasemen", TeamRole.MEMBER, "AKP Joko Susilo", None),
    (KODIM, "Perwira Seksi Intelijen", TeamRole.MEMBER, "Kapten Inf. Wahyu Hidayat", None),
    (
        "Kejaksaan Negeri Serang",
        "Kepala Seksi Intelijen",
        TeamRole.MEMBER,
        "Yudi Pratama, S.H.",
        None,
    ),
    (
        "Badan Intelijen Negara Daerah Banten",
        "Kepala Pos Wilayah Kota Serang",
        TeamRole.MEMBER,
        "Fajar Nugroho",
        None,
    ),
    (
        "Badan Narkotika Nasional Provinsi Banten",
        "Kepala Bidang Pemberantasan",
        TeamRole.MEMBER,
        "Agung Setiawan",
        None,
    ),
    (
        "Dinas Tenaga Kerja Kota Serang",
        "Kepala Bidang Penempatan Tenaga Kerja",
        TeamRole.MEMBER,
        "Nurhayati, S.E.",
        None,
    ),
    (
        "Dinas Kependudukan dan Pencatatan Sipil Kota Serang",
        "Kepala Bidang Pelayanan Pendaftaran Penduduk",
        TeamRole.MEMBER,
        "Eka Rahmawati",
        None,
    ),
    (
        "Kantor Kementerian Agama Kota Serang",
        "Kepala Seksi Bimbingan Masyarakat Islam",
        TeamRole.MEMBER,
        "H. Ahmad Syarifudin",
        None,
    ),
    (
        "Dinas Pariwisata Kota Serang",
        "Kepala Bidang Destinasi Pariwisata",
        TeamRole.MEMBER,
        "Dewi Kartika",
        None,
    ),
]

# Fictional names for the kelurahan teams, combined deterministically per kelurahan.
GIVEN = [
    "Ahmad", "Budi", "Cecep", "Dadang", "Endang", "Fitri", "Gilang", "Hasan", "Iwan", "Jajang",
    "Kurnia", "Lilis", "Maman", "Nana", "Oman", "Putri", "Rahmat", "Suryadi", "Tati", "Ujang",
    "Wawan", "Yayan", "Zaenal",
]  # fmt: skip
FAMILY = [
    "Hidayat", "Suherman", "Kurniawan", "Saputra", "Maulana", "Rohman", "Sobari", "Mulyadi",
    "Hermawan", "Fauzi", "Ramdani", "Nurdin", "Setiadi", "Wijaya", "Gunawan", "Sulaeman",
]  # fmt: skip
ARMY_RANKS = ["Serda", "Sertu", "Serka", "Pelda"]
POLICE_RANKS = ["Brigpol", "Bripka", "Aipda", "Aiptu"]


def _name(index: int, salt: int) -> str:
    return (
        f"{GIVEN[(index * 7 + salt) % len(GIVEN)]} {FAMILY[(index * 5 + salt * 3) % len(FAMILY)]}"
    )


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _agency(name: str) -> Agency:
    """An agency of the core demo (created here with the same definition if the core seeder
    has not run, so this seeder can also run alone)."""
    agency = Agency.objects.filter(name=name).first()
    if agency is not None:
        return agency
    _, short, kind, code = next(a for a in core_demo.AGENCIES if a[0] == name)
    area = Area.objects.filter(code=code).first() if code else None
    return account_actions.create_agency(name=name, short_name=short, agency_type=kind, area=area)


def _kelurahan_agency(area: Area) -> Agency:
    """The kelurahan office as an agency (``Kelurahan Banten`` exists in the core demo)."""
    agency = Agency.objects.filter(area=area, agency_type=AgencyType.LOCAL_GOVERNMENT).first()
    if agency is not None:
        return agency
    name = f"Kelurahan {area.name}"
    if Agency.objects.filter(name=name).exists():  # two kelurahan are called Sukawana
        name = f"Kelurahan {area.name} ({area.parent.name})"
    return account_actions.create_agency(
        name=name,
        short_name=f"Kel. {area.name}"[:60],
        agency_type=AgencyType.LOCAL_GOVERNMENT,
        area=area,
    )


def _member_name(default: str, user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else default


def seed_city_team(today: date) -> tuple[Team, int]:
    area = Area.objects.get(code=KOTA_SERANG)
    team = queries.team_for_area(KOTA_SERANG) or actions.create_team(area=area, actor=None)
    added = 0
    decree = team.decrees.first()
    if decree is None:
        year = today.year - 1
        decree = actions.issue_decree(
            teams=[team],
            number=f"W11.IMI.IMI.1-GR.01.01-0106/{year}/DEMO",
            issued_on=date(year, 1, 6),
            issuer=ISSUER,
            title="Pembentukan Tim Pengawasan Orang Asing Kota Serang",
            term_start=date(year, 1, 6),
            term_end=date(today.year + 1, 12, 31),
            actor=None,
        )
    if not team.memberships.exists():
        for agency_name, position, role, name, username in CITY_TEAM:
            user = _user(username)
            actions.add_member(
                team,
                actions.MemberInput(
                    person_name=_member_name(name, user) if role != TeamRole.CHAIR else name,
                    role=role,
                    agency=_agency(agency_name),
                    user=user,
                    position=position,
                    term_start=decree.term_start,
                    term_end=decree.term_end,
                    decree=decree,
                ),
                actor=None,
            )
            added += 1
    return team, added


def seed_kelurahan_teams() -> tuple[int, int]:
    """A team in each kelurahan of Kota Serang, all formed by one decree of 12 Oct 2021."""
    kelurahan = list(
        Area.objects.filter(code__startswith=KOTA_SERANG + ".", level="kelurahan")
        .select_related("parent")
        .order_by("code")
    )
    existing = {t.area_id: t for t in Team.objects.filter(area__in=kelurahan)}
    created = 0
    teams = []
    for area in kelurahan:
        team = existing.get(area.pk)
        if team is None:
            team = actions.create_team(area=area, actor=None)
            created += 1
        teams.append(team)
    decree = Decree.objects.filter(number=KELURAHAN_DECREE, issuer=ISSUER).first()
    if decree is None:
        decree = actions.issue_decree(
            teams=teams,
            number=KELURAHAN_DECREE,
            issued_on=KELURAHAN_DECREE_DATE,
            issuer=ISSUER,
            title="Pembentukan Tim Pengawasan Orang Asing Tingkat Kelurahan di Kota Serang",
            term_start=KELURAHAN_DECREE_DATE,
            actor=None,
        )
    else:
        decree.teams.add(*teams)
    police = {KASEMEN: _agency(POLSEK_KASEMEN)}
    polresta, kodim = _agency(POLRESTA), _agency(KODIM)
    lurah_user, police_user = _user("lurah_banten"), _user("police_kasemen")
    members = 0
    with_members = set(
        Team.objects.filter(pk__in=[t.pk for t in teams], memberships__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for index, (area, team) in enumerate(zip(kelurahan, teams, strict=True)):
        if team.pk in with_members:
            continue
        banten = area.code == core_demo.KELURAHAN_BANTEN
        seats = [
            (
                TeamRole.CHAIR,
                _kelurahan_agency(area),
                f"Lurah {area.name}",
                _member_name(_name(index, 1), lurah_user if banten else None),
                lurah_user if banten else None,
            ),
            (
                TeamRole.MEMBER,
                kodim,
                f"Babinsa Kelurahan {area.name}",
                f"{ARMY_RANKS[index % 4]} {_name(index, 2)}",
                None,
            ),
            (
                TeamRole.MEMBER,
                police.get(area.parent.code, polresta),
                f"Bhabinkamtibmas Kelurahan {area.name}",
                _member_name(
                    f"{POLICE_RANKS[index % 4]} {_name(index, 3)}",
                    police_user if banten else None,
                ),
                police_user if banten else None,
            ),
        ]
        for role, agency, position, name, user in seats:
            actions.add_member(
                team,
                actions.MemberInput(
                    person_name=name,
                    role=role,
                    agency=agency,
                    user=user,
                    position=position,
                    term_start=KELURAHAN_DECREE_DATE,
                    decree=decree,
                ),
                actor=None,
            )
            members += 1
    return created, members


def seed_meeting_and_problems(team: Team, today: date) -> dict[str, int]:
    """A coordination meeting three weeks ago, its minutes and decisions, and the problems it
    put on the inventory with their solutions and follow-ups (one of them overdue)."""
    if Meeting.objects.filter(letter_number=MEETING_LETTER).exists():
        return {"meetings": 0, "problems": 0, "follow_ups": 0}
    held_on = today - timedelta(days=21)
    agencies = {name: _agency(name) for name, *_ in CITY_TEAM}
    meeting = actions.schedule_meeting(
        team,
        actions.MeetingInput(
            title="Rapat Koordinasi Tim PORA Kota Serang",
            starts_at=datetime.combine(held_on, time(9, 0), tzinfo=JAKARTA),
            ends_at=datetime.combine(held_on, time(12, 0), tzinfo=JAKARTA),
            place="Aula Kantor Imigrasi Kelas I Non TPI Serang",
            agenda=[
                "Paparan situasi keberadaan dan kegiatan orang asing di Kota Serang",
                "Evaluasi kepatuhan pelaporan orang asing oleh penyedia akomodasi",
                "Pengawasan wilayah pesisir Kasemen",
                "Pertukaran data tenaga kerja asing antarinstansi",
            ],
            letter_number=MEETING_LETTER,
            letter_date=held_on - timedelta(days=7),
        ),
        actor=None,
    )
    absent = {"Badan Narkotika Nasional Provinsi Banten", "Kantor Kementerian Agama Kota Serang"}
    present = {
        i.pk for i in meeting.invitees.select_related("agency") if i.agency.name not in absent
    }
    actions.mark_attendance(
        meeting,
        present=present,
        actor=None,
        now=datetime.combine(held_on, time(8, 50), tzinfo=JAKARTA),
    )

    office, polsek = agencies[core_demo.OFFICE], agencies[POLSEK_KASEMEN]
    kasemen = Area.objects.get(code=KASEMEN)
    banten = Area.objects.get(code=core_demo.KELURAHAN_BANTEN)
    city = team.area
    reporting = actions.raise_problem(
        actions.ProblemInput(
            title="Hotel dan rumah kos di Kasemen belum tertib melaporkan tamu asing",
            category=ProblemCategory.ACCOMMODATION_REPORTING,
            area=kasemen,
            description="Sebagian pengelola hotel dan rumah kos belum menggunakan aplikasi "
            "pelaporan orang asing; laporan yang masuk sering melewati batas 1×24 jam.",
            agencies=[office, polsek, agencies["Dinas Pariwisata Kota Serang"]],
            team=team,
            raised_at=meeting,
            opened_on=held_on,
        ),
        actor=None,
    )
    coast = actions.raise_problem(
        actions.ProblemInput(
            title="Kegiatan orang asing di kawasan pesisir Banten Lama",
            category=ProblemCategory.COASTLINE,
            area=banten,
            description="Laporan masyarakat tentang orang asing yang menginap di perahu dan "
            "rumah warga di sekitar pelabuhan Karangantu tanpa pelaporan.",
            agencies=[office, agencies[KODIM], agencies[POLRESTA]],
            team=team,
            raised_at=meeting,
            opened_on=held_on,
        ),
        actor=None,
    )
    data = actions.raise_problem(
        actions.ProblemInput(
            title="Data tenaga kerja asing belum dipertukarkan secara rutin",
            category=ProblemCategory.DATA_SHARING,
            area=city,
            description="Data RPTKA dari Disnaker dan data izin tinggal dari Kantor Imigrasi "
            "belum dicocokkan secara berkala.",
            agencies=[office, agencies["Dinas Tenaga Kerja Kota Serang"]],
            team=team,
            raised_at=meeting,
            opened_on=held_on,
        ),
        actor=None,
    )
    decisions = actions.record_minutes(
        meeting,
        minutes=(
            "Rapat dibuka oleh Ketua Tim PORA Kota Serang pukul 09.00 WIB dan dihadiri oleh "
            "perwakilan instansi anggota tim.\n\n"
            "Sekretaris tim memaparkan data orang asing di Kota Serang, termasuk izin tinggal "
            "yang segera berakhir dan laporan penginapan yang terlambat. Polsek Kasemen "
            "menyampaikan keberadaan orang asing di kawasan pesisir Banten Lama. Disnaker "
            "menyampaikan perlunya pencocokan data tenaga kerja asing.\n\n"
            "Rapat ditutup pukul 11.45 WIB."
        ),
        decisions=[
            actions.DecisionInput(
                "Kantor Imigrasi bersama Polsek Kasemen melaksanakan sosialisasi pelaporan "
                "orang asing kepada pengelola hotel dan rumah kos di Kasemen.",
                reporting,
            ),
            actions.DecisionInput(
                "Kodim 0602/Serang dan Polresta Serang Kota melaksanakan patroli bersama di "
                "pesisir Banten Lama dan melaporkan hasilnya kepada tim.",
                coast,
            ),
            actions.DecisionInput(
                "Disnaker menyampaikan data RPTKA kepada Kantor Imigrasi setiap bulan.", data
            ),
        ],
        actor=None,
    )
    solutions = [
        actions.agree_solution(
            problem,
            text=decision.text,
            agreed_on=held_on,
            meeting=meeting,
            actor=None,
        )
        for problem, decision in zip((reporting, coast, data), decisions, strict=True)
    ]
    officer = _user("officer")
    follow_ups = [
        # Overdue: due ten days ago and not done.
        actions.add_follow_up(
            reporting,
            description="Sosialisasi aplikasi pelaporan orang asing kepada pengelola hotel dan "
            "rumah kos di Kecamatan Kasemen",
            due_date=today - timedelta(days=10),
            owner_agency=office,
            owner_user=officer,
            solution=solutions[0],
            decision=decisions[0],
            actor=None,
        ),
        actions.add_follow_up(
            reporting,
            description="Pendataan rumah kos yang dihuni orang asing di Kasemen",
            due_date=today + timedelta(days=20),
            owner_agency=polsek,
            solution=solutions[0],
            actor=None,
        ),
        actions.add_follow_up(
            coast,
            description="Patroli bersama di pesisir Banten Lama",
            due_date=today + timedelta(days=30),
            owner_agency=agencies[KODIM],
            solution=solutions[1],
            decision=decisions[1],
            actor=None,
        ),
    ]
    monthly = actions.add_follow_up(
        data,
        description="Penyampaian data RPTKA bulan berjalan kepada Kantor Imigrasi",
        due_date=held_on + timedelta(days=14),
        owner_agency=agencies["Dinas Tenaga Kerja Kota Serang"],
        solution=solutions[2],
        decision=decisions[2],
        actor=None,
    )
    actions.update_follow_up(
        monthly, status=FollowUpStatus.DONE, actor=None, today=held_on + timedelta(days=12)
    )
    actions.update_follow_up(follow_ups[1], status=FollowUpStatus.IN_PROGRESS, actor=None)
    actions.close_problem(
        data,
        note="Data RPTKA kini diterima setiap bulan dan dicocokkan dengan izin tinggal.",
        closed_on=held_on + timedelta(days=12),
        actor=None,
    )
    return {
        "meetings": 1,
        "problems": Problem.objects.filter(raised_at=meeting).count(),
        "follow_ups": 4,
    }


@transaction.atomic
def seed_coordination(**_: object) -> dict:
    """The teams of Kota Serang, one past meeting and the problem inventory; returns what
    this run added (zeros on a second run)."""
    if not Area.objects.filter(code=core_demo.KELURAHAN_BANTEN).exists():
        raise RuntimeError("areas are not loaded: run `timpora areas load` first")
    today = today_in_jakarta()
    city, city_members = seed_city_team(today)
    teams, kelurahan_members = seed_kelurahan_teams()
    added = seed_meeting_and_problems(city, today)
    return {
        "coordination": {
            "teams": Team.objects.count(),
            "teams_added": teams + (1 if city_members else 0),
            "members_added": city_members + kelurahan_members,
            **{f"{k}_added": v for k, v in added.items()},
        }
    }
