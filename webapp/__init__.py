"""coverdiff: compare two reports of the same event, side by side.

Importing the package imports nothing else: the command line (`webapp.cli`) loads the web
stack only for the commands that need it.
"""

from __future__ import annotations


def create_app(test_config: dict | None = None):
    """Application factory: settings, store, blueprints, error handlers, headers."""
    from flask import Flask

    from . import api, caching, csrf, embed, errors, health, limits, matrix, security, settings, store, viewmodel, views

    app = Flask(__name__, instance_relative_config=True,
                static_folder=str(settings.ROOT / "static"), template_folder=str(settings.ROOT / "templates"))
    settings.configure(app.config, app.instance_path, test_config)
    app.json.sort_keys = False
    from .sources import ACCEPT

    app.jinja_env.globals.update(kind_labels=viewmodel.KIND_LABELS, kind_marks=viewmodel.KIND_MARKS,
                                 upload_accept=ACCEPT)

    app.extensions["coverdiff.store"] = store.open_store(app.config["DATABASE"])
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(matrix.bp)
    app.register_blueprint(health.bp)  # harden: /readyz
    errors.register(app)
    security.register(app)
    csrf.register(app)
    caching.register(app)
    limits.register(app)  # harden: rate limits on creating comparisons
    return app
