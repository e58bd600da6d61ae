"""Typed, swappable Dagster resources: the home folder (landing, stores, keys) and dbt."""

from pipelines.resources.home import XintaiHome

__all__ = ["XintaiHome"]
