"""The Dagster code location loads and shows ingest → dbt → publish lineage for every source."""

import dagster as dg

from pipelines.assets.publish.publish import PUBLISHED_KEY
from pipelines.ingest.contracts import load_contracts


def _graph():
    from pipelines.definitions import defs

    dg.Definitions.validate_loadable(defs)
    return defs, defs.resolve_asset_graph()


def test_definitions_validate():
    defs, _ = _graph()
    assert defs.resolve_job_def("all_assets") is not None


def test_every_dataset_flows_from_ingest_through_dbt_to_publish():
    _, graph = _graph()
    upstream_of_publish = graph.get(PUBLISHED_KEY).parent_keys
    ancestors = set()
    frontier = set(upstream_of_publish)
    while frontier:
        key = frontier.pop()
        if key in ancestors:
            continue
        ancestors.add(key)
        frontier |= set(graph.get(key).parent_keys)
    for contract in load_contracts().values():
        ingest_key = dg.AssetKey([contract.source, contract.table])
        children = graph.get(ingest_key).child_keys
        staging = [k for k in children if k.path[-1].startswith(f"stg_{contract.source}__")]
        assert staging, f"{ingest_key} feeds no dbt staging model"
    # the published marts reach back to petitions and incidents ingestion
    assert dg.AssetKey(["petitions", "raw_petitions"]) in ancestors
    assert dg.AssetKey(["public_security", "raw_incidents"]) in ancestors


def test_monthly_datasets_are_partitioned():
    _, graph = _graph()
    for contract in load_contracts().values():
        node = graph.get(dg.AssetKey([contract.source, contract.table]))
        assert (node.partitions_def is not None) == contract.is_monthly, contract.dataset
