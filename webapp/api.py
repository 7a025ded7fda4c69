"""JSON API: create and fetch comparisons (SPEC §5)."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from . import inputs, openapi, service
from .service import app_store

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/comparisons")
def create():
    """Create a comparison: 201 with Location, or 200 when it already existed."""
    left, right, options = inputs.json_sources()
    stored = service.create(app_store(), left, right, options)
    response = jsonify(service.document(stored))
    response.status_code = 201 if stored.created else 200
    response.headers["Location"] = url_for("api.fetch", cid=stored.id)
    return response


@bp.get("/comparisons/<cid>")
def fetch(cid: str):
    """A stored comparison's JSON document."""
    return jsonify(service.document(service.load(app_store(), cid)))


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi.document())
