"""Fetch pinned front-end packages from the npm registry into static/vendor/.

Each package in static/vendor.lock.json is fetched with `npm pack` at its
pinned version; the tarball's SHA-512 must equal the integrity recorded in
the lock file (the same SRI string the registry publishes), or nothing is
written. Files already present with a matching stamp are left alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "static" / "vendor.lock.json"
VENDOR = ROOT / "static" / "vendor"


def sri_sha512(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(name: str, spec: dict) -> None:
    stamp = VENDOR / f".{name}.integrity"
    targets = [VENDOR / dest for dest in spec["files"].values()]
    if stamp.exists() and stamp.read_text() == spec["integrity"] and all(t.exists() for t in targets):
        return
    npm = shutil.which("npm")
    if not npm:
        sys.exit("npm is needed to fetch front-end assets: apt-get install -y npm")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [npm, "pack", f"{name}@{spec['version']}", "--json", "--pack-destination", tmp],
            check=True, capture_output=True, text=True, cwd=tmp,
        )
        tarball = Path(tmp) / json.loads(out.stdout)[0]["filename"]
        got = sri_sha512(tarball)
        if got != spec["integrity"]:
            sys.exit(f"{name}@{spec['version']}: integrity mismatch\n  expected {spec['integrity']}\n  got      {got}")
        VENDOR.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            for member, dest in spec["files"].items():
                data = tar.extractfile(member)
                if data is None:
                    sys.exit(f"{name}: {member} is missing from the package")
                (VENDOR / dest).write_bytes(data.read())
    stamp.write_text(spec["integrity"])
    print(f"fetched {name}@{spec['version']} (integrity checked)")


def main() -> None:
    for name, spec in json.loads(LOCK.read_text()).items():
        fetch(name, spec)


if __name__ == "__main__":
    main()
