"""Connections to the two stores: the encrypted restricted store and the published store.

restricted.duckdb holds person-level, pseudonymous data and is encrypted at rest with DuckDB's
ENCRYPTION_KEY; writing encrypted files offline needs the httpfs extension, which ships in the
``duckdb-extension-httpfs`` wheel and is loaded from its file path (no download).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

from pipelines.keys import warehouse_key
from pipelines.settings import HomeLayout

RESTRICTED_ALIAS = "restricted"


@cache
def httpfs_extension_path() -> str:
    import duckdb_extension_httpfs

    root = Path(duckdb_extension_httpfs.__file__).parent
    return str(next(root.rglob("httpfs.duckdb_extension")))


def load_crypto(con: duckdb.DuckDBPyConnection) -> None:
    path = httpfs_extension_path()
    con.install_extension(path)
    con.load_extension(path)


def connect_restricted(layout: HomeLayout, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory session with the encrypted restricted store attached and in use."""
    layout.warehouse.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    load_crypto(con)
    key = warehouse_key(layout.secrets)
    mode = ", READ_ONLY" if read_only else ""
    con.execute(
        f"ATTACH '{layout.restricted_db}' AS {RESTRICTED_ALIAS} (ENCRYPTION_KEY '{key}'{mode})"
    )
    con.execute(f"USE {RESTRICTED_ALIAS}")
    return con


def connect_published(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=read_only)
