"""Command line: coverdiff compare | extract | serve.

Each command imports what it uses when it runs: `coverdiff --help` loads neither the pipeline
nor the web stack.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MAX_FILE_BYTES = 5_000_000  # bytes per input file, as the web form's default limit
MIN_FILES, MAX_FILES = 2, 10  # files per compare, as pipeline.facts' document limits


def read_source(path: str, side: str | None = None, fetched: dict | None = None, limit: int = MAX_FILE_BYTES):
    """A file as a Source, with the upload form's rules for its kind (.txt .md .html .docx
    .pdf), or a link (http, https) fetched behind the address guard (COVERDIFF_FETCH_ALLOW as
    for the app); how a link was fetched goes into `fetched[side]`."""
    if path.startswith(("http://", "https://")):
        from . import sources

        settings = sources.FetchSettings(max_bytes=limit,
                                         allow=sources.Allowlist.parse(os.environ.get("COVERDIFF_FETCH_ALLOW")))
        result = sources.fetch(path, settings)
        if fetched is not None:
            fetched[side] = result.record()
        return sources.from_fetched(result, limit)
    from .uploads import file_source

    return file_source(path, Path(path).read_bytes(), limit)


def cmd_compare(args) -> int:
    from . import service
    from .pipeline import Options

    options = Options(ignore_typography=not args.keep_typography)
    if len(args.files) > 2:
        return _compare_many(args, options)
    left, right = args.files
    with service.collector_paused():  # this process does one comparison: see service.collector_paused
        fetched: dict = {}
        sources = (read_source(left, "left", fetched, args.max_bytes),
                   read_source(right, "right", fetched, args.max_bytes))
        stored = service.compute(*sources, options, fetched)
        if args.format == "json":
            from .serialize import dumps

            text = dumps(service.document(stored)) + "\n"
        else:
            from .export import standalone_html

            text = standalone_html(stored)
    _write(text, args.output)
    return 0


def _compare_many(args, options) -> int:
    """Three to ten files: the comparison of many (issue #17)."""
    from . import service

    with service.collector_paused():
        stored = service.compute_many([read_source(path, limit=args.max_bytes) for path in args.files], options)
        if args.format == "json":
            from .serialize import dumps

            text = dumps(service.document_many(stored)) + "\n"
        else:
            from .export import standalone_matrix_html

            text = standalone_matrix_html(stored)
    _write(text, args.output)
    return 0


def cmd_extract(args) -> int:
    import json

    from .pipeline import document
    from .pipeline.errors import CoverdiffError

    lines = []
    for path in args.files:
        try:
            doc = document(read_source(path))
            lines.append({"file": path, "title": doc.title, "byline": doc.byline,
                          "paragraphs": doc.texts,
                          "removed": [{"text": r.text, "reason": r.reason} for r in doc.removed]})
        except CoverdiffError as exc:
            lines.append({"file": path, "error": {"code": exc.code, "message": exc.message}})
    _write("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), args.output)
    return 0


def cmd_serve(args) -> int:
    import importlib.util

    if importlib.util.find_spec("gunicorn") and not args.dev:
        # this interpreter's gunicorn, so an un-activated virtualenv still finds it
        os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", "python:webapp.gunicorn_conf",  # harden
                                  "-w", str(args.workers),
                                  "-b", f"{args.host}:{args.port}", "webapp:create_app()"])
    from . import create_app

    create_app().run(host=args.host, port=args.port)
    return 0


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="coverdiff", description="Compare two reports of the same event.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare", help="compare two files (side by side) or up to ten (a coverage matrix)")
    c.add_argument("files", nargs="+", metavar="FILE",
                   help="two to ten files (.txt .md .html .docx .pdf) or http(s) links, in column order")
    c.add_argument("--format", choices=("json", "html"), default="json")
    c.add_argument("-o", "--output")
    c.add_argument("--keep-typography", action="store_true", help="count curly/straight quotes and dashes as changes")
    c.add_argument("--max-bytes", type=int, default=MAX_FILE_BYTES, metavar="N",
                   help=f"largest input file in bytes (default {MAX_FILE_BYTES:,}, as the web form)")
    c.set_defaults(func=cmd_compare)
    e = sub.add_parser("extract", help="sanitize files, one JSON line each")
    e.add_argument("files", nargs="+")
    e.add_argument("--format", choices=("jsonl",), default="jsonl")
    e.add_argument("-o", "--output")
    e.set_defaults(func=cmd_extract)
    s = sub.add_parser("serve", help="run the web app")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=5000)
    s.add_argument("--workers", type=int, default=4)
    s.add_argument("--dev", action="store_true", help="Flask's development server instead of gunicorn")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command == "compare" and not MIN_FILES <= len(args.files) <= MAX_FILES:
        p.error(f"compare takes {MIN_FILES} to {MAX_FILES} files, not {len(args.files)}")
    try:
        return args.func(args)
    except OSError as exc:
        print(f"coverdiff: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from .pipeline.errors import CoverdiffError  # imported here: --help needs no pipeline

        if not isinstance(exc, CoverdiffError):
            raise
        print(f"coverdiff: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
