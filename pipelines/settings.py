"""Where xintai keeps its runtime state.

Everything that changes at run time lives under ``$XINTAI_HOME`` (default ``./var``) so a
deployment is one folder to back up and a test is one ``tmp_path``. Resolved on every call,
never at import time, so tests can point it elsewhere with an environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SOURCES = ("reference", "health", "schools", "petitions", "public_security")


@dataclass(frozen=True)
class HomeLayout:
    """The folders under ``$XINTAI_HOME``; see DESIGN.md "Layout"."""

    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def restricted_db(self) -> Path:
        return self.warehouse / "restricted.duckdb"

    @property
    def published_db(self) -> Path:
        return self.warehouse / "published.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's artefacts for this home (compiled SQL, run results, logs, the parse cache).

        Every dbt invocation on this home uses this one folder: dbt re-parses the whole
        project (~10 s) unless the folder holds a parse made with the same profile, and the
        profile holds the home's store paths. dagster-dbt's default, a new folder per
        invocation under the project, re-parsed every time (and piled up)."""
        return self.warehouse / "dbt"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def app(self) -> Path:
        return self.root / "app"

    @property
    def briefings(self) -> Path:
        return self.root / "briefings"

    @property
    def truth(self) -> Path:
        return self.root / "truth"

    @property
    def config(self) -> Path:
        return self.root / "config"

    def landing_for(self, source: str) -> Path:
        return self.landing / source


def home(path: str | os.PathLike[str] | None = None) -> HomeLayout:
    """The layout rooted at ``path``, else ``$XINTAI_HOME``, else ``./var``."""
    root = Path(path or os.environ.get("XINTAI_HOME") or "var")
    return HomeLayout(root.resolve())
