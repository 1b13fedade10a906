"""``manage.py`` in a fresh process, on a SQLite database of its own: for what only a new
process shows (production settings, the demo's database engine)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Set by the test run itself (Playwright's tests allow Django's ORM in async code).
SET_BY_TESTS = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(
    *args: str, tmp_path: Path, timeout: int = 120, **variables: str
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MEIRIM_") and key not in SET_BY_TESTS
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
