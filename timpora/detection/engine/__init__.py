"""The detection engine: violation rules as set-based SQL over the registry (Django-free).

Each rule lives in its own module under ``rules/`` with its legal basis, default parameters,
its SQL and the explanation template. ``evaluate`` runs the rules on any DB-API cursor
(PostgreSQL or SQLite) and returns hits; ``timpora.detection.actions`` turns hits into alerts.
"""
