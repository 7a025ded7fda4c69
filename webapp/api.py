"""JSON API: create and fetch comparisons (SPEC §5)."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from . import inputs, openapi, service
from .errors import NotFound
from .service import app_store

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/comparisons")
def create():
    """Create a comparison: 201 with Location, or 200 when it already existed.
    {"documents": [...]} of three or more documents is a comparison of many (issue #17);
    two documents, in either shape, are a pair."""
    body = inputs.json_body()
    if "documents" in body:
        sources, options = inputs.json_many_sources(body)
        if len(sources) > 2:
            return _created(service.create_many(app_store(), sources, options), service.document_many)
        left, right = sources
        fetched = {}
    else:
        left, right, options, fetched = inputs.json_sources(body)
    return _created(service.create(app_store(), left, right, options, fetched), service.document)


def _created(stored, document):
    response = jsonify(document(stored))
    response.status_code = 201 if stored.created else 200
    response.headers["Location"] = url_for("api.fetch", cid=stored.id)
    return response


@bp.get("/comparisons/<cid>")
def fetch(cid: str):
    """A stored comparison's JSON document (of two documents or of many)."""
    try:
        return jsonify(service.document(service.load(app_store(), cid)))
    except NotFound:
        return jsonify(service.document_many(service.load_many(app_store(), cid)))


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi.document())
