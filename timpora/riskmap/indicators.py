"""Area indicators for a period, set-based, and their cached snapshots.

One GROUP BY per source (stays, reports, alerts, tips, cases) over the areas of one level
under one parent; the result is stored as an ``IndicatorSnapshot`` and reused until the
underlying data changes (a cheap version stamp of MAX ids) or it is older than
``TIMPORA_MAP_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from timpora.areas.models import LEVEL_COLUMNS, Area
from timpora.riskmap.models import IndicatorSnapshot, VulnerabilityFactor
from timpora.riskmap.scoring import risk_score

JAKARTA = ZoneInfo("Asia/Jakarta")
LEVELS = {"kecamatan": "kecamatan_code", "kelurahan": "kelurahan_code"}


def _column_of(code: str) -> str:
    return LEVEL_COLUMNS[len(code.split("."))]


def _bounds(period_from: date, period_to: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from 00:00 WIB of the first day to 00:00 WIB after the
    last."""
    start = datetime.combine(period_from, time.min, tzinfo=JAKARTA)
    end = datetime.combine(period_to + timedelta(days=1), time.min, tzinfo=JAKARTA)
    return start, end


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def data_version() -> str:
    """Changes whenever any source of the indicators changes.

    Every part is the maximum of an indexed column (or of a small table), so this costs a
    few index look-ups whatever the size of the registry (it runs on every map request).
    Alerts are raised (new id), updated by a detection run that found their facts changed
    (``changed_at`` of the rule's one ``detection_ruleevaluation`` row, which every run that
    raised, updated or closed an alert moves) or closed (``closed_at``, set by the engine
    and by the workflow alike); they never reopen. A run that changed nothing leaves the
    stamp, and the cached indicators, as they were.
    """
    parts = []
    for table, column in (
        ("registry_stay", "id"),
        ("intake_accommodationreport", "id"),
        ("intake_publictip", "updated_at"),
        ("detection_alert", "id"),
        ("detection_ruleevaluation", "changed_at"),
        ("detection_alert", "closed_at"),
        ("riskmap_vulnerabilityfactor", "updated_at"),
    ):
        parts.append(str(_rows(f"SELECT MAX({column}) FROM {table}", [])[0][0]))
    # A deleted factor leaves the latest change as it was: its count changes.
    parts.append(str(_rows("SELECT COUNT(*) FROM riskmap_vulnerabilityfactor", [])[0][0]))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def areas_under(parent_code: str, level: str):
    """The kecamatan, or the kelurahan/desa, below a regency/city or kecamatan code."""
    if level == "kecamatan":
        return Area.objects.filter(parent__code=parent_code, level="kecamatan")
    return Area.objects.filter(code__startswith=parent_code + ".", level__in=["kelurahan", "desa"])


def compute(
    parent_code: str,
    level: str,
    period_from: date,
    period_to: date,
) -> dict[str, dict[str, Any]]:
    """Indicators of every area of ``level`` under ``parent_code`` for the period."""
    col = LEVELS[level]
    pcol = _column_of(parent_code)
    start, end = _bounds(period_from, period_to)
    areas = list(areas_under(parent_code, level).values_list("code", flat=True))
    data: dict[str, dict[str, Any]] = {
        code: {
            "present": 0,
            "new_arrivals": 0,
            "by_nationality": {},
            "by_category": {},
            "reports": 0,
            "late_reports": 0,
            "alerts_by_rule": {},
            "tips": 0,
            "violations": 0,
            "actions": 0,
        }
        for code in areas
    }

    def add(code: str, key: str, value: Any) -> None:
        if code in data:
            data[code][key] = value

    stays = (
        f"FROM registry_stay s WHERE s.{pcol} = %s AND s.date_from <= %s "
        "AND (s.date_to IS NULL OR s.date_to >= %s)"
    )
    params = [parent_code, period_to, period_from]
    for code, count in _rows(
        f"SELECT s.{col}, COUNT(DISTINCT s.person_id) {stays} GROUP BY s.{col}", params
    ):
        add(code, "present", count)
    for code, count in _rows(
        f"SELECT s.{col}, COUNT(DISTINCT s.person_id) FROM registry_stay s "
        f"WHERE s.{pcol} = %s AND s.date_from >= %s AND s.date_from <= %s GROUP BY s.{col}",
        [parent_code, period_from, period_to],
    ):
        add(code, "new_arrivals", count)
    nationality: dict[str, dict[str, int]] = defaultdict(dict)
    category: dict[str, dict[str, int]] = defaultdict(dict)
    for code, nat, cat, count in _rows(
        f"SELECT x.code, p.nationality, p.current_permit_category, COUNT(*) FROM "
        f"(SELECT DISTINCT s.{col} AS code, s.person_id {stays}) x "
        # Tombstones of merges own no stays; said anyway, so that a person is never counted
        # twice whatever the order of a merge's writes.
        "JOIN registry_person p ON p.id = x.person_id AND p.merged_into_id IS NULL "
        "GROUP BY x.code, p.nationality, p.current_permit_category",
        params,
    ):
        nationality[code][nat] = nationality[code].get(nat, 0) + count
        category[code][cat or "none"] = category[code].get(cat or "none", 0) + count
    for code in data:
        top = sorted(nationality.get(code, {}).items(), key=lambda kv: -kv[1])
        data[code]["by_nationality"] = dict(top[:6])
        data[code]["by_category"] = category.get(code, {})
    for code, total, late in _rows(
        f"SELECT r.{col}, COUNT(*), SUM(CASE WHEN r.is_late THEN 1 ELSE 0 END) "
        f"FROM intake_accommodationreport r WHERE r.{pcol} = %s AND r.check_in >= %s "
        f"AND r.check_in < %s GROUP BY r.{col}",
        [parent_code, start, end],
    ):
        add(code, "reports", total)
        add(code, "late_reports", int(late or 0))
    alerts: dict[str, dict[str, int]] = defaultdict(dict)
    for code, rule, count in _rows(
        f"SELECT a.{col}, a.rule, COUNT(*) FROM detection_alert a WHERE a.{pcol} = %s "
        f"AND a.is_open = %s GROUP BY a.{col}, a.rule",
        [parent_code, True],
    ):
        alerts[code][rule] = count
    for code in data:
        data[code]["alerts_by_rule"] = alerts.get(code, {})
        data[code]["alerts"] = sum(alerts.get(code, {}).values())
    for code, count in _rows(
        f"SELECT t.{col}, COUNT(*) FROM intake_publictip t WHERE t.{pcol} = %s "
        f"AND t.created_at >= %s AND t.created_at < %s GROUP BY t.{col}",
        [parent_code, start, end],
    ):
        add(code, "tips", count)
    _add_operations(data, col, pcol, parent_code, period_from, period_to)
    return data


def _add_operations(data, col, pcol, parent_code, period_from, period_to) -> None:
    """Violations found and actions taken, when the operations app is installed."""
    if not apps.is_installed("timpora.operations"):
        return
    try:
        from timpora.operations.indicators import violations_and_actions
    except ImportError:
        return
    for code, violations, actions in violations_and_actions(
        col, pcol, parent_code, period_from, period_to
    ):
        if code in data:
            data[code]["violations"] = violations
            data[code]["actions"] = actions


def factors_by_area(codes: list[str]) -> dict[str, list[tuple[str, str, int]]]:
    """Each area's factors, including those of its ancestors (a kecamatan's coastline
    counts for its kelurahan)."""
    wanted = set(codes)
    for code in codes:
        parts = code.split(".")
        wanted.update(".".join(parts[:i]) for i in range(2, len(parts)))
    result: dict[str, list[tuple[str, str, int]]] = {c: [] for c in codes}
    for factor in VulnerabilityFactor.objects.filter(area__code__in=wanted).select_related("area"):
        for code in codes:
            if code == factor.area.code or code.startswith(factor.area.code + "."):
                result[code].append((factor.kind, str(factor.get_kind_display()), factor.weight))
    return result


def scored(data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    factors = factors_by_area(list(data))
    for code, indicators in data.items():
        score = risk_score(indicators, factors[code], settings.TIMPORA_RISK_WEIGHTS)
        indicators["risk"] = score.value
        indicators["components"] = [
            {"key": c.key, "points": c.points, "count": c.count, "label": c.label}
            for c in score.components
        ]
    return data


def previous_period(period_from: date, period_to: date) -> tuple[date, date]:
    length = (period_to - period_from).days + 1
    return period_from - timedelta(days=length), period_from - timedelta(days=1)


def snapshot(
    parent_code: str, level: str, period_from: date, period_to: date, *, refresh: bool = False
) -> dict[str, dict[str, Any]]:
    """The indicators and scores (with the trend against the previous period), cached."""
    version = data_version()
    existing = IndicatorSnapshot.objects.filter(
        parent_code=parent_code, level=level, period_from=period_from, period_to=period_to
    ).first()
    fresh = (
        existing is not None
        and existing.data_version == version
        and (timezone.now() - existing.computed_at).total_seconds()
        < settings.TIMPORA_MAP_CACHE_SECONDS
    )
    if fresh and not refresh:
        return existing.data
    data = scored(compute(parent_code, level, period_from, period_to))
    before = scored(compute(parent_code, level, *previous_period(period_from, period_to)))
    for code, indicators in data.items():
        indicators["risk_previous"] = before.get(code, {}).get("risk", 0)
        indicators["trend"] = indicators["risk"] - indicators["risk_previous"]
    with transaction.atomic():
        IndicatorSnapshot.objects.update_or_create(
            parent_code=parent_code,
            level=level,
            period_from=period_from,
            period_to=period_to,
            defaults={"data": data, "computed_at": timezone.now(), "data_version": version},
        )
    return data
