"""Primary and secondary (complementary) small-cell suppression of every indicator cell.

One row per cell of ``int_indicator_cells`` with ``is_primary`` (the count is 1 … k−1),
``is_suppressed`` (withheld from every mart) and ``is_secondary``. The algorithm (margin
equations, complementary cells, LP certificates) is ``models.privacy.suppression``.

Every equation lives inside one county × month (no published figure sums over months), so
months are independent: a new month never changes the pattern of earlier ones. A cell that
any earlier build withheld from print stays withheld while non-zero, so a revision never
un-suppresses a cell an attacker could difference: the ``suppression_ledger`` table beside
this model records them (pre- and post-hook, macros/suppression.sql) and survives a
--full-refresh, so a full rebuild honours every earlier publication too. On an incremental
rebuild of a month, a county × month × measure whose cells did not change keeps its stored
flags (``protect_changed``: the same result without solving its linear programs again).
"""

from models.privacy.suppression import KEY, protect_changed


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="month")
    k = int(dbt.config.get("suppression_k"))
    ledger = f"{dbt.this.database}.{dbt.this.schema}.{dbt.config.get('suppression_ledger')}"
    cells_rel = dbt.ref("int_indicator_cells")
    stored = None
    if dbt.is_incremental:
        watermark = session.sql(
            f"select coalesce(max(_source_watermark), timestamp '1900-01-01') from {dbt.this}"
        ).fetchone()[0]
        cells = cells_rel.filter(f"_source_watermark > timestamp '{watermark}'").df()
        # only the rebuilt months' stored rows matter (months are independent)
        months = sorted({str(m)[:10] for m in cells["month"]})
        if months:
            stored = session.execute(
                f"select cell_id, {', '.join(KEY)}, value, is_published, is_primary, "
                f"is_suppressed, is_uncertified from {dbt.this} "
                "where list_contains(?::date[], month)",
                [months],
            ).df()
    else:
        cells = cells_rel.df()
    withheld = set(session.sql(f"select cell_id from {ledger}").df()["cell_id"])
    if stored is not None:  # a store built before the ledger existed
        withheld |= set(stored.loc[stored["is_suppressed"] & stored["is_published"], "cell_id"])
    cells = cells.sort_values(KEY, na_position="first").reset_index(drop=True)
    sticky = cells["cell_id"].isin(withheld).to_numpy()
    out = protect_changed(cells, stored, k, sticky)
    out["is_secondary"] = out["is_suppressed"] & ~out["is_primary"] & out["is_published"]
    return out
