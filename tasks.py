#!/usr/bin/env python3
"""Set up notereview in ./.venv and run the quick-start tasks, with nothing but Python 3.11+ and pip.

    python3 tasks.py demo    # set up, then review an example note
    python3 tasks.py test    # set up, then run the whole test suite (extra args go to pytest)
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".notereview-installed"
DEMO_NOTE = ROOT / "examples" / "strengthening_billed_as_nmr.txt"


def setup() -> None:
    """Create the virtual environment and install the package with its test extra (once per pyproject)."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if sys.version_info < (3, 11):
        sys.exit(f"notereview needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print("Creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing notereview and its dependencies into .venv ...", file=sys.stderr)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """The browser tests drive a real Chromium; on Debian as root, install it when it is missing."""
    import shutil

    if os.environ.get("NOTEREVIEW_CHROMIUM") or shutil.which("chromium"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's chromium for the browser tests ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    else:
        print("notereview: the browser tests need Chromium: install it (Debian: apt-get install chromium) "
              "or point NOTEREVIEW_CHROMIUM at a Chromium binary.", file=sys.stderr)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "setup"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    setup()
    if argv[0] == "demo":
        return subprocess.run([str(BIN / "notereview"), "review", str(DEMO_NOTE.relative_to(ROOT))], cwd=ROOT).returncode
    if argv[0] == "test":
        ensure_chromium()
        return subprocess.run([str(PYTHON), "-m", "pytest", "-q", *argv[1:]], cwd=ROOT).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
