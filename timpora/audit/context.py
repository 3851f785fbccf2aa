"""Where the current request or command comes from, for the audit trail."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from timpora.core.net import client_ip

_origin: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "timpora_audit_origin", default=None
)


def current_origin() -> dict[str, Any]:
    return dict(_origin.get() or {"channel": "system"})


@contextmanager
def origin(**values: Any) -> Iterator[None]:
    """Set the origin (channel, ip, path, command) for audit records written inside."""
    token = _origin.set(values)
    try:
        yield
    finally:
        _origin.reset(token)


def origin_from_request(request) -> dict[str, Any]:
    return {
        "channel": "api" if request.path.startswith("/api/") else "web",
        "ip": client_ip(request),
        "method": request.method,
        "path": request.path[:300],
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }
