"""Readiness: /readyz says whether this server can save new comparisons (its store takes a write).

/healthz (views.py) is liveness: the process answers and the store reads. /readyz also writes a
probe into the store and rolls it back, so a full disk or a read-only database shows as 503
with the reason, while stored comparisons are still served. Point a load balancer that sends
new comparisons here at /readyz, and a process supervisor at /healthz.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from .service import app_store

bp = Blueprint("health", __name__)


@bp.get("/readyz")
def readyz():
    """200 when the store takes a write, else 503 with the reason."""
    state, message = app_store().can_write()
    if state == "writable":
        return {"status": "ready", "store": state}
    response = jsonify({"status": "not_ready", "store": state, "message": message,
                        "reads": "stored comparisons are still served"})
    response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response
