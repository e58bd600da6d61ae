"""One ingest asset per landing dataset, built from its contract.

The asset key is ``[source, raw_<dataset>]``, the key dagster-dbt gives the matching dbt
source, so lineage runs ingest → dbt → publish without a custom translator. Monthly datasets
are partitioned by month (a partition ingests the files of that month; a range runs in one
go); reference datasets are not partitioned.
"""

import dagster as dg
import pandas as pd
from dagster import AssetExecutionContext

from pipelines.assets.partitions import monthly
from pipelines.ingest.contracts import Contract, load_contracts
from pipelines.ingest.load import ensure_raw_table, files_for, ingest_files, register_unknown_files
from pipelines.ingest.references import reference_sets
from pipelines.ingest.registry import ensure_tables
from pipelines.resources import XintaiHome

RECONCILIATION_CHECK = "rows_reconcile"
# Reference data other datasets are validated against must be loaded first.
REFERENCE_DEPENDENCIES = {
    "population": ["admin_units"],
    "service_capacity": ["admin_units"],
    "township_geo": ["admin_units"],
    "schools": ["admin_units"],
}


def asset_key(contract: Contract) -> dg.AssetKey:
    return dg.AssetKey([contract.source, contract.table])


def _deps(contract: Contract, contracts: dict[str, Contract]) -> list[dg.AssetKey]:
    if contract.dataset == "admin_units":
        return []
    names = REFERENCE_DEPENDENCIES.get(contract.dataset)
    if names is None:
        names = ["admin_units"] + (["schools"] if contract.dataset == "student_screening" else [])
    return [asset_key(contracts[n]) for n in names]


def months_of(context: AssetExecutionContext) -> list[str] | None:
    if not context.has_partition_key_range and not context.has_partition_key:
        return None
    keys = context.partition_keys
    return [k[:7] for k in keys]


def build_ingest_asset(contract: Contract, contracts: dict[str, Contract]) -> dg.AssetsDefinition:
    @dg.asset(
        key=asset_key(contract),
        group_name=contract.source,
        deps=_deps(contract, contracts),
        partitions_def=monthly if contract.is_monthly else None,
        backfill_policy=dg.BackfillPolicy.single_run() if contract.is_monthly else None,
        description=f"{contract.grain} — landing/{contract.source}/{'|'.join(contract.files)} "
        "through contract checks and the privacy firewall into restricted.duckdb.",
        check_specs=[
            dg.AssetCheckSpec(
                RECONCILIATION_CHECK,
                asset=asset_key(contract),
                description="rows in = loaded + quarantined, for every file",
            )
        ],
        kinds={"duckdb", "python"},
    )
    def _ingest(context: AssetExecutionContext, home: XintaiHome):
        layout = home.layout
        paths = files_for(layout.landing, contract, months_of(context))
        con = home.restricted()
        try:
            ensure_tables(con)
            ensure_raw_table(con, contract)
            refs = reference_sets(con)
            now = pd.Timestamp.now()
            results = ingest_files(con, contract, paths, home.pseudonymiser(), refs, now)
            # files in this source's folder that no contract claims: registered, never ignored
            unknown = register_unknown_files(con, layout.landing, contract.source)
            recon = con.execute(
                "select count(*) filter (where rows_in <> rows_loaded + rows_quarantined), count(*) "
                "from raw_file_registry where dataset = ? and status <> 'failed'",
                [contract.dataset],
            ).fetchone()
            total = con.execute(f"select count(*) from {contract.table}").fetchone()[0]
        finally:
            con.close()
        failed = [r.message for r in results + unknown if r.status == "failed"]
        for message in failed:
            context.log.warning(message)
        yield dg.MaterializeResult(
            metadata={
                "files_seen": len(paths),
                "files_loaded": sum(r.status == "loaded" for r in results),
                "files_unchanged": sum(r.status == "unchanged" for r in results),
                "files_failed": len(failed),
                "files_unknown": len(unknown),
                "rows_in": sum(r.rows_in for r in results),
                "rows_loaded": sum(r.rows_loaded for r in results),
                "rows_quarantined": sum(r.rows_quarantined for r in results),
                "table_rows": total,
                "failures": dg.MetadataValue.md("\n".join(f"- {m}" for m in failed) or "none"),
            }
        )
        yield dg.AssetCheckResult(
            check_name=RECONCILIATION_CHECK,
            passed=recon[0] == 0,
            metadata={"files_checked": recon[1], "files_not_reconciling": recon[0]},
        )

    return _ingest


def build_ingest_assets() -> list[dg.AssetsDefinition]:
    contracts = load_contracts()
    return [build_ingest_asset(c, contracts) for c in contracts.values()]
