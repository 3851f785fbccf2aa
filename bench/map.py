"""Map benchmark: the map API's latency over a large registry, and the page in a browser.

    make bench-map PERSONS=1000000            # database from DATABASE_URL, SQLite temp file else

Creates a throw-away database (PostgreSQL: ``<name>_map_bench``), loads PERSONS synthetic
foreign nationals (``timpora.registry.bulk``), runs detection so that alerts exist, then
times ``GET /api/v1/map/areas`` for several views through the real API (token auth, scope,
GeoJSON): the first (cold) request computes the indicator snapshot; the following ones are
what users see. In the same run it times the bare GROUP BY that counts foreigners present per
kelurahan (the floor the cached path avoids). With Debian chromium present it also measures
how long the map page takes to show its polygons. Last line:

    map persons=N p95_ms=X
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import drop_database, fresh_database  # noqa: E402

VIEWS = [
    "parent=36.73&level=kelurahan&metric=risk",
    "parent=36.73&level=kecamatan&metric=density",
    "parent=36.04&level=kelurahan&metric=alerts",
    "parent=36.73.02&level=kelurahan&metric=tips",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def browser_seconds(url_base: str, session_key: str) -> float | None:
    """Seconds from navigation to the drawn polygons, in Debian's Chromium (None without)."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        context = browser.new_context(base_url=url_base)
        context.add_cookies([{"name": "sessionid", "value": session_key, "url": url_base}])
        page = context.new_page()
        page.goto("/map/?parent=36.73&level=kelurahan&metric=risk")  # warm the caches
        page.wait_for_selector("#riskmap[data-loaded]", state="attached", timeout=60_000)
        start = time.perf_counter()
        page.goto("/map/?parent=36.73&level=kelurahan&metric=risk")
        page.wait_for_selector("#riskmap[data-loaded='67']", state="attached", timeout=60_000)
        seconds = time.perf_counter() - start
        browser.close()
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=int(os.environ.get("PERSONS", 100_000)))
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="timpora-map-"))
    url = fresh_database(os.environ.get("DATABASE_URL"), workdir, "_map_bench")
    os.environ["DATABASE_URL"] = url
    os.environ["TIMPORA_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timpora.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from timpora.accounts.actions import create_agency, create_api_token, create_user
    from timpora.areas.actions import load_areas
    from timpora.detection.actions import run_detection
    from timpora.registry import bulk
    from timpora.registry.status import today_in_jakarta
    from timpora.riskmap.demo import seed_factors

    call_command("migrate", verbosity=0)
    load_areas(settings.TIMPORA_WILAYAH_DIR)
    seed_factors()
    t0 = time.perf_counter()
    bulk.load(args.persons, progress=sys.stderr.isatty(), rebuild_indexes=True)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_detection(today_in_jakarta(), notify=False)
    detect_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    agency = create_agency(name="Bench office", agency_type="immigration")
    analyst = create_user(
        username="bench", password="bench-password-1", role="officer", agency=agency
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(analyst)}")

    floor = []
    for _ in range(5):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kelurahan_code, COUNT(DISTINCT person_id) FROM registry_stay "
                "WHERE kabkota_code = %s AND date_from <= %s AND (date_to IS NULL OR "
                "date_to >= %s) GROUP BY kelurahan_code",
                ["36.73", today_in_jakarta(), today_in_jakarta()],
            )
            cursor.fetchall()
        floor.append((time.perf_counter() - start) * 1000)

    cold: dict[str, float] = {}
    timings: list[float] = []
    per_view: dict[str, list[float]] = {}
    for view in VIEWS:
        start = time.perf_counter()
        response = client.get(f"/api/v1/map/areas?{view}")
        assert response.status_code == 200, response.content[:300]
        cold[view] = (time.perf_counter() - start) * 1000
        per_view[view] = []
    for i in range(max(args.requests, len(VIEWS))):  # every view at least once
        view = VIEWS[i % len(VIEWS)]
        start = time.perf_counter()
        response = client.get(f"/api/v1/map/areas?{view}")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200
        timings.append(elapsed)
        per_view[view].append(elapsed)

    render_s = None
    server = None
    try:
        session = SessionStore()
        session[SESSION_KEY] = str(analyst.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = analyst.get_session_auth_hash()
        session["otp_verified"] = True
        session["login_at"] = time.time()
        session.create()
        env = dict(os.environ)
        server = subprocess.Popen(
            [sys.executable, "-m", "timpora.cli", "runserver", "127.0.0.1:8765", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)
        render_s = browser_seconds("http://127.0.0.1:8765", session.session_key)
    except Exception as exc:
        print(f"(browser timing skipped: {exc})")
    finally:
        if server is not None:
            server.terminate()

    backend = "pg" if connection.vendor == "postgresql" else "sqlite"
    print(
        f"registry: {args.persons:,} persons loaded in {load_s:.0f} s; detection "
        f"{detect_s:.1f} s ({backend})"
    )
    print(f"{'view':<48}{'cold ms':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for view in VIEWS:
        values = per_view[view]
        print(
            f"{view:<48}{cold[view]:>10.0f}{statistics.median(values):>10.1f}"
            f"{percentile(values, 0.95):>10.1f}"
        )
    print(
        f"floor: GROUP BY foreigners present per kelurahan of Kota Serang: "
        f"p50 {statistics.median(floor):.0f} ms"
    )
    if render_s is not None:
        print(f"browser: map page with 67 kelurahan drawn in {render_s:.2f} s")
    p95 = percentile(timings, 0.95)
    if not args.keep:
        drop_database(url)
    print(f"map persons={args.persons} p95_ms={p95:.1f}")


if __name__ == "__main__":
    main()
