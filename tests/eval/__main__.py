"""make eval: every scored evaluation, printed (python -m tests.eval).

`--only extraction` (or `alignment`, `facts`, `pdf`) runs one suite; `-v` prints per-page scores
where a suite has them."""

from __future__ import annotations

import argparse
import importlib
import inspect

SUITES = {"extraction": "tests.eval.extraction", "alignment": "tests.eval.alignment", "facts": "tests.eval.facts",
          "pdf": "tests.eval.pdf_reading"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.eval")
    parser.add_argument("--only", choices=sorted(SUITES), help="run one suite")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-page scores where a suite has them")
    args = parser.parse_args(argv)
    for key, name in SUITES.items():
        if args.only and key != args.only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"[{name}] not written yet")
            continue
        if "verbose" in inspect.signature(module.main).parameters:
            module.main(verbose=args.verbose)
        else:
            module.main()


if __name__ == "__main__":
    main()
