"""coverdiff: compare two reports of the same event, side by side."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .pipeline import Options

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: config, store, blueprints, error handlers, headers."""
    app = Flask(__name__, instance_relative_config=True,
                static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    app.config.from_mapping(
        DATABASE=os.environ.get("COVERDIFF_DATABASE", str(Path(app.instance_path) / "coverdiff.sqlite3")),
        SEEDS_DIR=ROOT / "seeds",
        MAX_DOCUMENT_BYTES=int(os.environ.get("COVERDIFF_MAX_DOCUMENT_BYTES", 5 * MB)),
        MAX_CONTENT_LENGTH=int(os.environ.get("COVERDIFF_MAX_REQUEST_BYTES", 12 * MB)),
        MAX_FORM_MEMORY_SIZE=int(os.environ.get("COVERDIFF_MAX_REQUEST_BYTES", 12 * MB)),
        FRAME_ANCESTORS=os.environ.get("COVERDIFF_FRAME_ANCESTORS", "'self'"),
        CACHE_MAX_AGE=int(os.environ.get("COVERDIFF_CACHE_MAX_AGE", 365 * 24 * 3600)),  # seconds, immutable pages
        PIPELINE_OPTIONS=Options(
            diff_timeout_s=float(os.environ.get("COVERDIFF_DIFF_TIMEOUT_S", Options.diff_timeout_s)),
            compare_timeout_s=float(os.environ.get("COVERDIFF_COMPARE_TIMEOUT_S", Options.compare_timeout_s)),
            max_paragraphs=int(os.environ.get("COVERDIFF_MAX_PARAGRAPHS", Options.max_paragraphs)),
        ),
    )
    app.config.from_prefixed_env("COVERDIFF")  # harden: PUBLIC_URL, TRUSTED_HOSTS, PROXY_HOPS, RATE_LIMIT, SECRET_KEY
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False

    from . import api, caching, csrf, embed, errors, health, limits, security, store, viewmodel, views

    app.jinja_env.globals.update(kind_labels=viewmodel.KIND_LABELS, kind_marks=viewmodel.KIND_MARKS)

    app.extensions["coverdiff.store"] = store.open_store(app.config["DATABASE"])
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(health.bp)  # harden: /readyz
    errors.register(app)
    security.register(app)
    csrf.register(app)
    caching.register(app)
    limits.register(app)  # harden: rate limits on creating comparisons
    return app
