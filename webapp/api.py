"""JSON API: create and fetch comparisons (SPEC §5)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, url_for

from . import inputs, service
from .errors import ApiError
from .pipeline import Options
from .service import app_store

bp = Blueprint("api", __name__, url_prefix="/api")

# Options a client may set; the rest (time budgets, limits) are server config.
CLIENT_OPTIONS = {"ignore_typography": bool}



def options_from(requested: dict) -> Options:
    """Server options with the client's allowed choices applied."""
    base = current_app.config["PIPELINE_OPTIONS"]
    changes = {}
    for key, value in requested.items():
        if key not in CLIENT_OPTIONS or not isinstance(value, CLIENT_OPTIONS[key]):
            raise ApiError(f"Unknown or invalid option '{key}'; allowed: {', '.join(CLIENT_OPTIONS)}.")
        changes[key] = value
    return Options(**{**base.__dict__, **changes})


@bp.post("/comparisons")
def create():
    """Create a comparison: 201 with Location, or 200 when it already existed."""
    left, right, requested = inputs.json_sources()
    cid, document, created = service.create(app_store(), left, right, options_from(requested))
    response = jsonify(document)
    response.status_code = 201 if created else 200
    response.headers["Location"] = url_for("api.fetch", cid=cid)
    return response


@bp.get("/comparisons/<cid>")
def fetch(cid: str):
    """A stored comparison's JSON document."""
    return jsonify(service.load(app_store(), cid))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    from .openapi import document

    return jsonify(document())
