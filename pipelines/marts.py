"""What the dbt project publishes, read from its manifest and dbt_project.yml."""

from __future__ import annotations

import json

import dagster as dg
import yaml

from pipelines.assets.dbt import DBT_PROJECT_DIR, dbt_project, ensure_manifest


def mart_keys() -> list[dg.AssetKey]:
    """Asset keys of every dbt model under models/marts (they land in published.duckdb)."""
    from dagster_dbt import get_asset_key_for_model
    from pipelines.assets.dbt import marts_dbt_assets

    manifest = json.loads(ensure_manifest().read_text())
    names = [n["name"] for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and "/marts/" in "/" + n["original_file_path"]]
    return [get_asset_key_for_model([marts_dbt_assets], name) for name in sorted(names)]


def suppression_k() -> int:
    config = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return int(config["vars"]["suppression_k"])


__all__ = ["mart_keys", "suppression_k", "dbt_project"]
