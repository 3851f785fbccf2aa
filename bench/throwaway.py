"""The throw-away database every benchmark runs in (never the user's own data).

Without ``DATABASE_URL``: a SQLite file in the benchmark's temporary folder. With a
PostgreSQL URL: a database named after the URL's with a suffix per benchmark
(``timpora_registry_bench`` …), created fresh and dropped at the end; the URL's user must
be allowed to create databases.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse, urlunparse


def fresh_database(url: str | None, workdir: Path, suffix: str) -> str:
    """A new, empty database for one benchmark run; returns its URL."""
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    parsed = urlparse(url)
    name = (parsed.path.lstrip("/") or "postgres") + suffix
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    """Drop a PostgreSQL benchmark database (a SQLite file goes with its folder)."""
    if not url.startswith("postgres"):
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}"')
