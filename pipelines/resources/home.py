"""The deployment's home folder as a Dagster resource: landing zone, stores and keys.

Tests point it at ``tmp_path``; production takes ``XINTAI_HOME`` at run time (never at import).
"""

from __future__ import annotations

import os

import dagster as dg
import duckdb

from pipelines.settings import HomeLayout, home
from pipelines.warehouse import connect_restricted


class XintaiHome(dg.ConfigurableResource):
    """Root of the runtime state ($XINTAI_HOME, default ./var)."""

    root: str = ""

    @property
    def layout(self) -> HomeLayout:
        return home(self.root or None)

    def restricted(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return connect_restricted(self.layout, read_only=read_only)

    def pseudonymiser(self):
        from models.privacy.pseudonym import Pseudonymiser

        return Pseudonymiser.from_env(self.layout.root)

    def dbt_env(self) -> dict[str, str]:
        """Environment for the dbt subprocess: where the stores are and the store key."""
        from pipelines.keys import warehouse_key
        from pipelines.warehouse import httpfs_extension_path

        layout = self.layout
        return {
            **os.environ,
            "XINTAI_HOME": str(layout.root),
            "XINTAI_RESTRICTED_DB": str(layout.restricted_db),
            "XINTAI_PUBLISHED_BUILD_DB": str(published_build_db(layout)),
            "XINTAI_WAREHOUSE_KEY": warehouse_key(layout.secrets),
            "XINTAI_HTTPFS_EXTENSION": httpfs_extension_path(),
            "DO_NOT_TRACK": "1",
        }


def published_build_db(layout: HomeLayout):
    """Where dbt builds the next publication before it atomically replaces the live one."""
    return layout.warehouse / "published.build.duckdb"
