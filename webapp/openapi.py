"""The OpenAPI 3.1 document of the JSON API, served at /api/openapi.json.

Kept next to the code it describes; tests/web/test_api.py validates real responses of every
documented operation against these schemas, so the two cannot drift apart silently.
Objects allow extra properties: clients must ignore fields they do not know.
"""

from __future__ import annotations

from .embed import THEME_PROPERTIES
from .inputs import CLIENT_OPTIONS
from .pipeline import UNSURE_BELOW
from .serialize import ID_LENGTH

JSON = "application/json"
ROW_KINDS = ["same", "edited", "related", "left_only", "right_only"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": {JSON: {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


_STRING_OR_NULL = {"type": ["string", "null"]}
# A document must hold a character that is neither whitespace (Python's, which the server strips)
# nor NUL (dropped): spelled out, so that every regex engine reads the class alike.
HAS_TEXT = "[^\\x00\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
_LABEL = {"type": ["string", "null"], "maxLength": 300,
          "description": "Longer than 300 characters, or not a string, is a 400."}
_INDEXES = {"type": "array", "items": {"type": "integer", "minimum": 0}}

SCHEMAS = {
    "Side": {
        "type": "object",
        "description": "One input document: exactly one of `text` or `html`.",
        "properties": {
            "text": {"type": "string", "pattern": HAS_TEXT,
                     "description": "Plain text; blank lines separate paragraphs. Whitespace alone is a 422."},
            "html": {"type": "string", "pattern": HAS_TEXT,
                     "description": "A whole page or a fragment; the article is extracted. A page with no "
                                    "article text once page furniture is removed is a 422."},
            "title": _LABEL,
            "source": {**_LABEL, "description": "The outlet, e.g. Reuters. " + _LABEL["description"]},
        },
        "oneOf": [{"required": ["text"]}, {"required": ["html"]}],
    },
    "CreateRequest": {
        "type": "object",
        "required": ["left", "right"],
        "properties": {
            "left": _ref("PairSide"),
            "right": _ref("PairSide"),
            "options": {
                "type": "object",
                "additionalProperties": False,
                "properties": {name: {"type": "boolean"} for name, kind in CLIENT_OPTIONS.items() if kind is bool},
            },
        },
    },
    "Paragraph": {
        "type": "object", "required": ["index", "text"],
        "properties": {"index": {"type": "integer", "minimum": 0}, "text": {"type": "string"}},
    },
    "Removed": {
        "type": "object", "required": ["text", "reason"],
        "properties": {"text": {"type": "string"}, "reason": {"type": "string"},
                       "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                                      "description": "How sure the sanitizer is that this is page furniture; "
                                                     f"below {UNSURE_BELOW} the view shows it in place as "
                                                     "possibly furniture."},
                       "position": {"type": ["integer", "null"], "minimum": 0,
                                    "description": "The paragraph it stood before (the count of paragraphs "
                                                   "before it); null for whole page elements."}},
    },
    "Document": {
        "type": "object",
        "required": ["title", "byline", "paragraphs", "removed"],
        "properties": {
            "title": _STRING_OR_NULL, "byline": _STRING_OR_NULL, "dateline": _STRING_OR_NULL,
            "outlet": _STRING_OR_NULL, "kind": {"type": "string", "enum": ["text", "html"]},
            "paragraphs": {"type": "array", "items": _ref("Paragraph")},
            "removed": {"type": "array", "items": _ref("Removed")},
            "fetched": _ref("Fetched"),
        },
    },
    "Fetched": {
        "type": "object", "required": ["url", "final_url", "status", "fetched_at"],
        "description": "How a side given as a link was fetched (absent for text, HTML and files).",
        "properties": {
            "url": {"type": "string", "description": "The link as given."},
            "final_url": {"type": "string", "description": "Where it ended, after redirects."},
            "status": {"type": "integer"},
            "fetched_at": {"type": "string", "format": "date-time"},
            "content_type": {"type": "string"},
        },
    },
    "DiffOp": {
        "type": "object", "required": ["op", "text"],
        "properties": {
            "op": {"type": "string", "enum": ["equal", "insert", "delete"]},
            "text": {"type": "string"},
            "right_text": {"type": "string", "description": "On `equal` ops whose right side differs typographically."},
        },
    },
    "Row": {
        "type": "object",
        "required": ["kind", "left", "right", "similarity", "moved", "diff"],
        "properties": {
            "kind": {"type": "string", "enum": ROW_KINDS},
            "shape": {"type": "string", "enum": ["one", "split", "merge", "group"],
                      "description": "one paragraph a side (or one side only); split: one left paragraph in "
                                     "several right ones; merge: several left in one right; group: several each."},
            "left": _INDEXES, "right": _INDEXES,
            "similarity": {"type": "number", "minimum": 0, "maximum": 1},
            "moved": {"type": "boolean"},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "diff": {"type": "array", "items": _ref("DiffOp")},
            "coarse": {"type": "boolean"},
            "shared": {"type": "array", "items": _ref("Span"),
                       "description": "Where this row's paragraphs hold a passage of five or more words that "
                                      "a changed paragraph of the other document also contains, in text order; "
                                      "a paragraph both documents have verbatim is one passage, whole. "
                                      "Absent from documents stored by earlier releases."},
        },
    },
    "Link": {
        "type": "object", "required": ["left", "right", "similarity", "reasons"],
        "description": "A left and a right paragraph in different rows that report the same thing.",
        "properties": {
            "left": {"type": "integer", "minimum": 0, "description": "Paragraph index on the left."},
            "right": {"type": "integer", "minimum": 0, "description": "Paragraph index on the right."},
            "similarity": {"type": "number", "minimum": 0, "maximum": 1},
            "reasons": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Span": {
        "type": "object", "required": ["side", "paragraph", "start", "end"],
        "description": "Characters [start, end) of one paragraph's text.",
        "properties": {
            "side": {"type": "string", "enum": ["left", "right"]},
            "paragraph": {"type": "integer", "minimum": 0},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
        },
    },
    "Stats": {
        "type": "object",
        "required": ["counts", "left_covered", "right_covered", "shared_quotes"],
        "properties": {
            "counts": {"type": "object", "properties": {k: {"type": "integer", "minimum": 0} for k in ROW_KINDS},
                       "required": ROW_KINDS},
            "left_covered": {"type": "number", "minimum": 0, "maximum": 1},
            "right_covered": {"type": "number", "minimum": 0, "maximum": 1},
            "shared_quotes": {"type": "array", "items": {"type": "string"}},
            "coarse": {"type": "boolean"},
        },
    },
    "Comparison": {
        "type": "object",
        "required": ["id", "url", "embed_url", "left", "right", "rows", "stats"],
        "properties": {
            "id": {"type": "string", "pattern": f"^[0-9a-f]{{{ID_LENGTH}}}$"},
            "url": {"type": "string", "pattern": "^/c/[0-9a-f]+$",
                    "description": "The page, relative to the app's root."},
            "embed_url": {"type": "string", "pattern": "^/embed/[0-9a-f]+$"},
            "algorithm_version": {"type": "string"},
            "options": {"type": "object"},
            "left": _ref("Document"),
            "right": _ref("Document"),
            "rows": {"type": "array", "items": _ref("Row")},
            "links": {"type": "array", "items": _ref("Link"),
                      "description": "Paragraphs related across rows (absent from documents of earlier releases)."},
            "stats": _ref("Stats"),
        },
    },
    "CreateManyRequest": {
        "type": "object",
        "required": ["documents"],
        "description": "2 to 10 documents of one event, in column order; three or more make a comparison "
                       "of many (facts), exactly two the pairwise comparison. Together at most the server's "
                       "MAX_TOTAL_BYTES (20 MB by default).",
        "properties": {
            "documents": {"type": "array", "minItems": 2, "maxItems": 10, "items": _ref("Side")},
            "options": {"type": "object", "additionalProperties": False,
                        "properties": {name: {"type": "boolean"} for name, kind in CLIENT_OPTIONS.items()
                                       if kind is bool}},
        },
    },
    "ManyDocument": {
        "allOf": [_ref("Document"), {"type": "object", "required": ["index"],
                                     "properties": {"index": {"type": "integer", "minimum": 0}}}],
    },
    "FactMember": {
        "type": "object", "required": ["document", "paragraphs"],
        "properties": {"document": {"type": "integer", "minimum": 0}, "paragraphs": _INDEXES},
    },
    "Fact": {
        "type": "object", "required": ["index", "members", "similarity", "reasons"],
        "description": "What the documents report of one fact: per document that reports it, its paragraph(s). "
                       "Every paragraph is in exactly one fact; facts are in story order.",
        "properties": {
            "index": {"type": "integer", "minimum": 0},
            "members": {"type": "array", "minItems": 1, "items": _ref("FactMember")},
            "similarity": {"type": "number", "minimum": 0, "maximum": 1},
            "reasons": {"type": "array", "items": {"type": "string"}},
        },
    },
    "ManyComparison": {
        "type": "object",
        "required": ["id", "url", "kind", "documents", "facts", "pairs", "stats"],
        "properties": {
            "id": {"type": "string", "pattern": f"^[0-9a-f]{{{ID_LENGTH}}}$"},
            "url": {"type": "string", "pattern": "^/m/[0-9a-f]+$", "description": "The matrix page."},
            "kind": {"const": "many"},
            "algorithm_version": {"type": "string"},
            "options": {"type": "object"},
            "documents": {"type": "array", "items": _ref("ManyDocument")},
            "facts": {"type": "array", "items": _ref("Fact")},
            "pairs": {"type": "array", "items": {
                "type": "object", "required": ["documents", "url"],
                "properties": {"documents": {"type": "array", "items": {"type": "integer", "minimum": 0},
                                             "minItems": 2, "maxItems": 2},
                               "url": {"type": "string",
                                       "description": "Opens (creating it once) the side-by-side view of the pair."}},
            }},
            "stats": {"type": "object", "required": ["documents", "shared_quotes"], "properties": {
                "documents": {"type": "array", "items": {
                    "type": "object", "required": ["covered", "exclusive"],
                    "properties": {"covered": {"type": "number", "minimum": 0, "maximum": 1,
                                               "description": "Share of the event's facts this document reports."},
                                   "exclusive": {"type": "integer", "minimum": 0,
                                                 "description": "Facts only this document reports."}}}},
                "shared_quotes": {"type": "array", "items": {
                    "type": "object", "required": ["text", "documents"],
                    "properties": {"text": {"type": "string"},
                                   "documents": {"type": "array", "items": {"type": "integer", "minimum": 0}}}}},
            }},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string", "minLength": 1}, "message": {"type": "string", "minLength": 1}},
        }},
    },
    "OEmbed": {
        "type": "object",
        "required": ["type", "version", "html", "width", "height"],
        "properties": {
            "type": {"const": "rich"}, "version": {"const": "1.0"},
            "title": {"type": "string"}, "provider_name": {"type": "string"}, "provider_url": {"type": "string"},
            "html": {"type": "string"}, "width": {"type": "integer"}, "height": {"type": "integer"},
            "cache_age": {"type": "integer"},
        },
    },
}
# A side of a pair may also be a link (the comparison of many takes text and HTML only).
SCHEMAS["PairSide"] = {
    **SCHEMAS["Side"],
    "description": "One side of a pair: exactly one of `text`, `html` or `url`.",
    "properties": {**SCHEMAS["Side"]["properties"], "url": {
        "type": "string", "format": "uri", "maxLength": 2048,
        "description": "An http(s) link, fetched behind the address guard (README: Inputs): a web page, text, "
                       "PDF or Word document. A refused link is a 422 that says why."}},
    "oneOf": [*SCHEMAS["Side"]["oneOf"], {"required": ["url"]}],
}

_CACHE_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "Changes only when the body does."},
    "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=31536000, immutable"},
}
# OpenAPI links: the id a create answers with fetches the same comparison (schemathesis follows them).
_GET_CREATED = {"GetCreated": {"operationId": "getComparison", "parameters": {"id": "$response.body#/id"}}}
_CREATE = {"anyOf": [_ref("CreateRequest"), _ref("CreateManyRequest")]}
_ANY_COMPARISON = {"anyOf": [_ref("Comparison"), _ref("ManyComparison")]}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "The comparison's id: a content hash of its inputs, options and algorithm version."}


def document() -> dict:
    """The OpenAPI document (paths relative to the server the document is served from)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "coverdiff API",
            "version": "1",
            "description": "Compare two reports of the same event. Comparisons are addressed by a content "
                           "hash: creating the same comparison twice gives the same id, and a stored "
                           "comparison never changes. CORS is off: call it from servers, not browsers.",
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "servers": [{"url": "/"}],
        "paths": {
            "/api/comparisons": {"post": {
                "operationId": "createComparison",
                "summary": "Compare two documents, or 2 to 10 as `documents` (idempotent).",
                "requestBody": {"required": True, "content": {JSON: {"schema": _CREATE}}},
                "responses": {
                    "201": {**_json(_ANY_COMPARISON, "Created.", {
                        "Location": {"schema": {"type": "string"}, "description": "/api/comparisons/{id}"}}),
                        "links": _GET_CREATED},
                    "200": {**_json(_ANY_COMPARISON, "Already stored: the same document as when it was created.", {
                        "Location": {"schema": {"type": "string"}}}), "links": _GET_CREATED},
                    "400": _error("Malformed request: not JSON, wrong shape, unknown option, "
                                  "fewer than 2 or more than 10 documents."),
                    "413": _error("A document, the documents together or the request is over its size limit, "
                                  "or a document has too many paragraphs."),
                    "415": _error("A document cannot be decoded."),
                    "422": _error("A document is empty, or holds no article text once page furniture is removed."),
                    "429": _error("Too many new comparisons from this client; see Retry-After (seconds)."),
                    "503": _error("The comparison ran past its time budget while reading or aligning, or the "
                                  "store is read-only: new comparisons cannot be saved."),
                    "507": _error("Storage is full: new comparisons cannot be saved."),
                },
            }},
            "/api/comparisons/{id}": {"get": {
                "operationId": "getComparison",
                "summary": "A stored comparison.",
                "parameters": [_ID, {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
                "responses": {
                    "200": _json(_ANY_COMPARISON, "The comparison.", _CACHE_HEADERS),
                    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
                    "404": _error("No comparison has this id."),
                },
            }},
            "/api/openapi.json": {"get": {
                "operationId": "getOpenAPI",
                "summary": "This document.",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}}},
            }},
            "/oembed": {"get": {
                "operationId": "oembed",
                "summary": "oEmbed provider for this server's /c/{id} and /m/{id} pages (https://oembed.com).",
                "parameters": [
                    {"name": "url", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1}},
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "xml"]}},
                    {"name": "maxwidth", "in": "query", "schema": {"type": "integer", "minimum": 100}},
                    {"name": "maxheight", "in": "query", "schema": {"type": "integer", "minimum": 100}},
                ],
                "responses": {
                    "200": _json(_ref("OEmbed"), "A rich embed: an iframe of /embed/{id} (or /embed/m/{id})."),
                    "400": _error("No url, or a bad maxwidth/maxheight."),
                    "404": _error("Not a comparison on this server, or no comparison has this id."),
                    "501": _error("format=xml: only JSON is provided."),
                },
            }},
        },
        "components": {"schemas": SCHEMAS},
        "x-embed-theme-parameters": {name: prop for name, prop in THEME_PROPERTIES.items()},
    }
