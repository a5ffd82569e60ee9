"""Refresh or check the JavaScript the WebGL map inlines (sigma.js and graphology), from npm.

The files live in ``cojian_graph/render/vendor/`` beside their licences and ``MANIFEST.json``, which
records each package's pinned version, the npm tarball's integrity (SHA-512, as npm's registry states
it) and every vendored file's SHA-256. The package ships them: the map never loads a script from the
internet.

    python scripts/vendor_js.py           # check: download the pinned tarballs, compare with what is vendored
    python scripts/vendor_js.py --write   # (re)write the files and the manifest from the pinned tarballs

To move to another version: change it in ``PINS`` and its ``integrity`` (``npm view sigma@X dist.integrity``),
run with ``--write``, look at the map in a browser and run ``make test``. A tarball whose digest differs from
the pinned integrity is refused.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "cojian_graph" / "render" / "vendor"

#: package → version, the tarball's integrity, and the files taken from it (path in the tarball → vendored name).
PINS = {
    "sigma": {
        "version": "3.0.3",
        "integrity": "sha512-5H0zFlx6/NTQpqBg4Rm569ZOpnBOXMaS25UQThIWMU3XyzI5AhmorK/gnl87BvJBLhQd0tW4C0LIp3enWzMoNw==",
        "files": {"package/dist/sigma.min.js": "sigma.min.js", "package/LICENSE.txt": "sigma.LICENSE.txt"},
        "license": "MIT",
    },
    "graphology": {
        "version": "0.26.0",
        "integrity": "sha512-8SSImzgUUYC89Z042s+0r/vMibY7GX/Emz4LDO5e7jYXhuoWfHISPFJYjpRLUSJGq6UQ6xlenvX1p/hJdfXuXg==",
        "files": {"package/dist/graphology.umd.min.js": "graphology.umd.min.js",
                  "package/LICENSE.txt": "graphology.LICENSE.txt"},
        "license": "MIT",
    },
}


def integrity(data: bytes) -> str:
    """npm's ``dist.integrity`` of a tarball: ``sha512-`` and the base64 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def download(name: str, version: str) -> bytes:
    """The package's tarball from npm's registry (``npm pack``, which honours the user's npm settings)."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=folder,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"npm pack {name}@{version} failed:\n{done.stderr}")
        (tarball,) = Path(folder).glob("*.tgz")
        return tarball.read_bytes()


def unpack(name: str, pin: dict) -> dict[str, bytes]:
    """The pinned files of one package, after checking the tarball against the pinned integrity."""
    data = download(name, pin["version"])
    if integrity(data) != pin["integrity"]:
        sys.exit(f"{name}@{pin['version']}: the tarball's digest {integrity(data)} is not the pinned "
                 f"{pin['integrity']}; refusing it")
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for inside, vendored in pin["files"].items():
            member = archive.extractfile(inside)
            if member is None:
                sys.exit(f"{name}@{pin['version']} has no {inside}")
            out[vendored] = member.read()
    return out


def manifest(files: dict[str, dict[str, bytes]]) -> dict:
    return {
        "note": "Written by scripts/vendor_js.py --write; checked by tests/test_vendor.py. Do not edit by hand.",
        "packages": {
            name: {"version": pin["version"], "integrity": pin["integrity"], "license": pin["license"],
                   "files": {vendored: hashlib.sha256(content).hexdigest()
                             for vendored, content in sorted(files[name].items())}}
            for name, pin in PINS.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the files and MANIFEST.json")
    args = parser.parse_args()
    files = {name: unpack(name, pin) for name, pin in PINS.items()}
    expected = manifest(files)
    if args.write:
        VENDOR.mkdir(parents=True, exist_ok=True)
        for contents in files.values():
            for vendored, content in contents.items():
                (VENDOR / vendored).write_bytes(content)
        (VENDOR / "MANIFEST.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {sum(map(len, files.values()))} files and MANIFEST.json to {VENDOR}")
        return 0
    problems = []
    for contents in files.values():
        for vendored, content in contents.items():
            path = VENDOR / vendored
            if not path.exists() or path.read_bytes() != content:
                problems.append(f"{path} differs from the pinned tarball")
    current = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    if current != expected:
        problems.append("MANIFEST.json does not match the pinned tarballs")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("the vendored files are the pinned tarballs' files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
