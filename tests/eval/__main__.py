"""make eval: every scored evaluation, printed (python -m tests.eval [--only alignment])."""

from __future__ import annotations

import argparse
import importlib

SUITES = ("tests.eval.extraction", "tests.eval.alignment")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.eval", description=__doc__)
    parser.add_argument("--only", choices=[name.rsplit(".", 1)[1] for name in SUITES],
                        help="run one suite (default: all)")
    only = parser.parse_args(argv).only
    for name in SUITES:
        if only and name.rsplit(".", 1)[1] != only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"[{name}] not written yet")
            continue
        module.main()


if __name__ == "__main__":
    main()
