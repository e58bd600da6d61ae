"""Read-only access to published.duckdb for the dashboard.

One cached read-only connection per publication (keyed by the file's mtime, so an atomic
publish is picked up on the next rerun while the old file keeps serving until then);
parameterised queries only, cached per publication.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines.settings import home


def published_path() -> Path:
    return home(os.environ.get("XINTAI_HOME")).published_db


def publication_version() -> float | None:
    path = published_path()
    return path.stat().st_mtime if path.exists() else None


@st.cache_resource(max_entries=2)
def _connection(path: str, version: float) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


@st.cache_data(max_entries=256, show_spinner=False)
def query(sql: str, params: tuple = (), version: float | None = None) -> pd.DataFrame:
    con = _connection(str(published_path()), version or 0.0)
    return con.execute(sql, list(params)).df()


def read(sql: str, *params) -> pd.DataFrame:
    return query(sql, tuple(params), publication_version())


def is_published() -> bool:
    return publication_version() is not None


def publication_info() -> dict:
    df = read("select * from meta_publication")
    return df.iloc[0].to_dict() if len(df) else {}


def township_month() -> pd.DataFrame:
    return read("""
        select township_code, township_name, month, n_petitions, n_incidents,
               n_petitions_suppressed, n_incidents_suppressed, population
        from agg_township_month order by month, township_code""")


def townships() -> pd.DataFrame:
    return read("select township_code, township_name, county_name, population from dim_township order by township_code")
