"""Small-cell suppression of the text marts' counts, on the margins they share with the
indicator marts.

A text source's documents are records of one indicator measure (petitions → ``petitions``,
incidents → ``incidents``, hotline summaries → ``calls``), so the text marts' counts are
breakdowns of totals that other marts already print: the documents of a township-month
(``text=yes``; ``text=no`` is the never-printed complement), and under them the documents
per topic, per petition category and with crisis language. An attacker can difference them
against those totals, so they are cells of the same margin equations: the indicator totals
enter with the status int_suppressed_cells gave them (frozen: never re-decided here), and
``models.privacy.suppression`` withholds complementary text cells and certifies every small
cell with the attacker's linear programs. A county × month × measure where that cannot
succeed prints no text figures at all (:func:`protect_or_hide`).

Text is re-scored as a whole on every run (topics are refitted), so every month is rebuilt;
cells withheld in the previous build stay withheld (a revision never un-suppresses a cell).
"""

import logging

import numpy as np
import pandas as pd

from models.privacy.suppression import KEY, format_breakdown, protect_by_month

log = logging.getLogger(__name__)
PARENT_MEASURE = {"petitions": "petitions", "incidents": "incidents", "hotline": "calls"}


def document_cells(docs: pd.DataFrame) -> pd.DataFrame:
    """Text cells (value > 0) from one row per document.

    Township and county level: documents per source and documents with crisis language
    (printed with the emotion indices); documents without crisis language are the never-printed
    complement. County level only: documents per topic and per petition category. Township
    counts per topic or category are not printed at all (almost all would be small cells), so
    they are not cells of any published equation."""
    total = format_breakdown({"text": "yes"})
    parts = [docs.assign(breakdown=total, text_dimension="total", text_value=None)]
    dimensions = {"topic": "topic_id", "category": "category", "crisis": "crisis"}
    for dimension, column in dimensions.items():
        rows = docs[docs[column].notna()]
        values = rows[column].astype("int64" if column == "topic_id" else str).astype(str)
        labels = [format_breakdown({"text": "yes", f"text_{dimension}": v}) for v in values]
        parts.append(
            rows.assign(breakdown=labels, text_dimension=dimension, text_value=values.to_numpy())
        )
    long = pd.concat(parts, ignore_index=True)
    keys = ["source", "month", "county_code", "measure", "breakdown", "text_dimension"]
    county = (
        long.groupby([*keys, "text_value"], dropna=False)
        .size()
        .rename("value")
        .reset_index()
        .assign(township_code=None)
    )
    by_township = long[long["text_dimension"].isin(["total", "crisis"])]
    township = (
        by_township.groupby([*keys, "text_value", "township_code"], dropna=False)
        .size()
        .rename("value")
        .reset_index()
    )
    cells = pd.concat([township, county], ignore_index=True)
    cells["is_published"] = ~cells["breakdown"].str.endswith("text_crisis=no")
    return cells


def complements(totals: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """``text=no``: records of the parent measure without a document (never printed)."""
    on = ["month", "county_code", "township_code", "measure"]
    merged = parents[[*on, "value"]].merge(
        totals[[*on, "source", "value"]].rename(columns={"value": "documents"}),
        on=on,
        how="left",
    )
    merged["documents"] = merged["documents"].fillna(0)
    merged["value"] = (merged["value"] - merged["documents"]).astype("int64")
    if (merged["value"] < 0).any():
        raise ValueError("text documents outnumber the records of their indicator measure")
    merged["source"] = merged["measure"].map({m: s for s, m in PARENT_MEASURE.items()})
    out = merged[merged["value"] > 0].drop(columns="documents")
    return out.assign(
        breakdown=format_breakdown({"text": "no"}),
        text_dimension="untexted",
        text_value=None,
        is_published=False,
    )


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="month")
    k = int(dbt.config.get("suppression_k"))
    docs = (
        dbt.source("text", "text_documents")
        .project("source, township_code, month, topic_id, category, is_crisis")
        .df()
    )
    townships = dbt.ref("int_townships").project("township_code, county_code").df()
    measures = ", ".join(f"'{m}'" for m in PARENT_MEASURE.values())
    parents = (
        dbt.ref("int_suppressed_cells")
        .filter(f"measure in ({measures})")
        .project(
            "month, county_code, township_code, measure, coalesce(breakdown, '') as breakdown, "
            "value, is_published, is_suppressed"
        )
        .df()
    )
    previous = None
    if dbt.is_incremental:
        previous = session.sql(
            f"select {', '.join(KEY)} from {dbt.this} where is_suppressed and is_published"
        ).df()
    return suppress_text_cells(docs, townships, parents, previous, k)


def protect_or_hide(cells: pd.DataFrame, k: int, sticky, is_text) -> pd.DataFrame:
    """``protect_by_month`` with the indicator cells frozen; a county × month × measure where
    some small cell cannot be made safe (the frozen indicator figures pin it, or the ≥ 1 that
    each withheld text cell reveals holds it down, e.g. a dozen withheld topic counts under
    a county total whose untexted complement is small) prints none of its text figures: its
    text cells become unpublished unknowns ≥ 0, which leaves the indicator system that
    int_suppressed_cells certified."""
    group = ["month", "county_code", "measure"]
    cells = cells.assign(_sticky=sticky)
    out = protect_by_month(cells, k, sticky, frozen=~is_text)
    bad = out.loc[out["is_uncertified"], group].drop_duplicates()
    if bad.empty:
        return out.drop(columns="_sticky")
    log.warning("text figures of %d county-month-measures withheld entirely", len(bad))
    redo = cells.merge(bad, on=group).sort_values(KEY, na_position="first")
    redo = redo.reset_index(drop=True)
    redo.loc[redo["is_text"], "is_published"] = False
    redone = protect_by_month(
        redo, k, redo["_sticky"].to_numpy(dtype=bool), frozen=~redo["is_text"].to_numpy(dtype=bool)
    )
    if redone["is_uncertified"].any():
        raise AssertionError("unpublished text cells left a small cell derivable")
    keep = out.merge(bad.assign(_bad=True), on=group, how="left")["_bad"].isna().to_numpy()
    return pd.concat([out[keep], redone], ignore_index=True).drop(columns="_sticky")


def suppress_text_cells(docs, townships, parents, previous, k: int) -> pd.DataFrame:
    """Text cells with is_primary / is_suppressed / is_secondary (see the module docstring)."""
    docs = docs[docs["source"].isin(PARENT_MEASURE)]
    docs = docs.merge(townships, on="township_code", how="left")
    unmatched = docs["county_code"].isna()
    if unmatched.any():  # a township outside the admin units: its county from the code prefix
        docs.loc[unmatched, "county_code"] = docs.loc[unmatched, "township_code"].str[:6]
    docs["month"] = pd.to_datetime(docs["month"] + "-01")
    docs["measure"] = docs["source"].map(PARENT_MEASURE)
    docs["crisis"] = np.where(docs["is_crisis"].fillna(False).astype(bool), "yes", "no")
    text = document_cells(docs)
    parents = parents.assign(month=pd.to_datetime(parents["month"]))
    parents["source"] = parents["measure"].map({m: s for s, m in PARENT_MEASURE.items()})
    text = pd.concat(
        [
            text,
            complements(
                text[text["text_dimension"] == "total"], parents[parents["breakdown"] == ""]
            ),
        ],
        ignore_index=True,
    )
    cells = pd.concat(
        [text.assign(is_text=True), parents.assign(is_text=False, text_dimension="indicator")],
        ignore_index=True,
    )
    cells["township_code"] = cells["township_code"].where(cells["township_code"].notna(), None)
    cells = cells.sort_values(KEY, na_position="first").reset_index(drop=True)
    is_text = cells["is_text"].to_numpy(dtype=bool)
    area = list(zip(*(cells[c] for c in KEY[:4]), strict=True))
    # indicator cells keep their status; every text cell under a withheld indicator total is
    # withheld too (its breakdowns would bound the total the indicator marts protect)
    parent_withheld = cells["is_suppressed"].eq(True).to_numpy(dtype=bool) & ~is_text
    total_withheld = parent_withheld & (cells["breakdown"] == "").to_numpy()
    withheld_areas = {a for a, w in zip(area, total_withheld, strict=True) if w}
    sticky = parent_withheld | np.array(
        [t and a in withheld_areas for t, a in zip(is_text, area, strict=True)], dtype=bool
    )
    if previous is not None and len(previous):
        previous = previous.assign(month=pd.to_datetime(previous["month"]))
        previous["township_code"] = previous["township_code"].where(
            previous["township_code"].notna(), None
        )
        before = set(zip(*(previous[c] for c in KEY), strict=True))
        keys = zip(*(cells[c] for c in KEY), strict=True)
        sticky |= np.array([key in before for key in keys], dtype=bool) & is_text
    out = protect_or_hide(cells.drop(columns="is_suppressed"), k, sticky, is_text)
    out = out[out["is_text"]].drop(columns="is_text")
    out["is_secondary"] = out["is_suppressed"] & ~out["is_primary"] & out["is_published"]
    out["area_level"] = np.where(out["township_code"].isna(), "county", "township")
    columns = [*KEY, "source", "text_dimension", "text_value", "value", "is_published"]
    flags = ["is_primary", "is_suppressed", "is_secondary", "is_uncertified", "area_level"]
    return out[columns + flags].reset_index(drop=True)
