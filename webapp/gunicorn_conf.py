"""gunicorn settings shared by `make serve` and `coverdiff serve` (gunicorn -c python:webapp.gunicorn_conf).

gunicorn kills a worker that has not answered for `timeout` seconds, and the client then gets
a bare 500 instead of coverdiff's own answer. So the worker timeout sits above the whole
comparison budget (COVERDIFF_COMPARE_TIMEOUT_S, pipeline/budget.py) plus the stretches the
budget cannot interrupt: parsing one 5 MB page (about 3 s here) and computing the features of
every paragraph of a 5 MB pair (3.5 s), both slower under load.
"""

from __future__ import annotations

import os

from webapp.pipeline import Options

# Seconds past the comparison budget before gunicorn may kill a worker: the uninterruptible
# stretches above take 7 s on an idle 2-core machine; 4x that for a loaded one.
UNINTERRUPTIBLE_MARGIN_S = 30

compare_budget_s = float(os.environ.get("COVERDIFF_COMPARE_TIMEOUT_S", Options.compare_timeout_s))
timeout = int(compare_budget_s + UNINTERRUPTIBLE_MARGIN_S)
graceful_timeout = 10  # seconds a worker has to finish its request on shutdown
