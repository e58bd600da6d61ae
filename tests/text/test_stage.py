"""Acceptance tests of the text stage on the generator's county (truth/ is the oracle).

The full county (≈ 35 s to generate, a few minutes for the stage) backs the slow tests:
classifier 24/12 split, emerging planted events, topic-id stability. A small county keeps a
fast classifier check in the default suite.
"""

import json

import pandas as pd
import pytest

from models.text.stage import (
    run_stage,
    safe_label_words,
    state_to_model,
    topic_state,
    topics_for_source,
)
from models.text.topics import fit_topics

SOURCES = {"petitions": "petitions", "hotline_calls": "hotline", "incidents": "incidents"}


def _generate(tmp_path_factory, name, **kwargs):
    from pipelines.generate.county import generate

    root = tmp_path_factory.mktemp(name)
    generate(root / "landing", root / "truth", **kwargs)
    truth = pd.read_parquet(root / "truth" / "text_labels.parquet")
    events = json.loads((root / "truth" / "events.json").read_text(encoding="utf-8"))
    return truth, events, _place_names(root / "landing")


def _place_names(landing) -> list[str]:
    """Township and village names of the landed admin_units files, as the text asset passes
    them to the stage (pipelines.assets.text.place_names reads the same from staging)."""
    names: set[str] = set()
    for f in sorted(landing.glob("reference/admin_units_*.csv")):
        units = pd.read_csv(f, dtype=str, encoding="utf-8-sig")
        names |= set(units.loc[units["级别"] != "县", "名称"].dropna())
    assert names, f"no admin_units under {landing}"
    return sorted(names)


@pytest.fixture(scope="session")
def small_county(tmp_path_factory):
    return _generate(tmp_path_factory, "small_county", population=60_000)


@pytest.fixture(scope="session")
def county(tmp_path_factory):
    return _generate(tmp_path_factory, "county")


def _documents(truth: pd.DataFrame) -> pd.DataFrame:
    from models.privacy.redact import redact_many

    return pd.DataFrame(
        {
            "source": truth["source"].map(SOURCES),
            "document_key": truth["record_key"].astype(str),
            "township_code": truth["township_code"],
            "month": truth["month"].astype(str),
            "text": redact_many(truth["text"].tolist()),
        }
    )


@pytest.fixture(scope="session")
def county_stage(county):
    truth, events, places = county
    return run_stage(_documents(truth), extra_words=places), truth, events


def _classifier_f1(truth):
    from models.text.train_default import petitions_from_truth, train_and_test

    _, metrics, _ = train_and_test(petitions_from_truth(truth), 24)
    return metrics["macro_f1"]


def test_classifier_24_12_small_county(small_county):
    truth, _, _ = small_county
    assert _classifier_f1(truth) >= 0.95


@pytest.mark.slow
def test_classifier_24_12_full_county(county):
    truth, _, _ = county
    assert _classifier_f1(truth) >= 0.95


def event_hits(result, truth, events) -> dict[str, bool]:
    """Per planted text event: is its topic (the dominant topic of its documents, per source)
    emerging in its township in the start month or the next, in any source it touches?"""
    docs = result.documents.merge(
        pd.DataFrame({"document_key": truth["record_key"].astype(str), "event": truth["topic"]}),
        on="document_key",
    )
    em = result.emerging_topics
    hits = {}
    for e in events:
        mine = docs[docs["event"] == e["event_id"]]
        if mine.empty:
            continue  # an event without planted text (e.g. the school screening cluster)
        start = pd.Period(e["start_month"], "M")
        window = {str(start), str(start + 1)}
        hit = False
        for source, g in mine.groupby("source"):
            topic = int(g["topic_id"].mode()[0])
            hit |= bool(
                (
                    (em["source"] == source)
                    & (em["township_code"] == e["township_code"])
                    & (em["topic_id"] == topic)
                    & em["month"].isin(window)
                ).any()
            )
        hits[e["kind"]] = hit
    return hits


def chance_flags(result, events) -> tuple[int, int]:
    """(township-months with an emerging topic outside every planted event, township-months
    tested): an event covers its township from its start to one month after its end."""
    inside = {
        (e["township_code"], str(m))
        for e in events
        for m in pd.period_range(e["start_month"], pd.Period(e["end_month"], "M") + 1, freq="M")
    }
    em = result.emerging_topics
    flagged = {k for k in zip(em["township_code"], em["month"], strict=True) if k not in inside}
    prev = result.topic_prevalence
    tested = set(zip(prev["township_code"], prev["month"], strict=True)) - inside
    return len(flagged), len(tested)


def assert_events_emerge(result, truth, events):
    hits = event_hits(result, truth, events)
    assert len(hits) == 5, f"expected 5 planted text events, got {sorted(hits)}"
    missed = [k for k, v in hits.items() if not v]
    assert not missed, f"missed: {missed}"
    # chance flags stay rare: at most 6% of the township-months outside events (3.4–4.6% on
    # seeds 42/7/11 with this rule; 31–38% with the z·sd rule it replaced)
    flagged, tested = chance_flags(result, events)
    assert flagged <= 0.06 * tested, f"{flagged} of {tested} township-months flagged by chance"


@pytest.mark.slow
def test_planted_events_emerge(county_stage):
    assert_events_emerge(*county_stage)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [7, 11])
def test_planted_events_emerge_other_seeds(tmp_path_factory, seed):
    truth, events, places = _generate(tmp_path_factory, f"county_seed{seed}", seed=seed)
    assert_events_emerge(run_stage(_documents(truth), extra_words=places), truth, events)


def persisting_stability(prev, new, min_similarity: float = 0.5) -> tuple[int, int]:
    """(stable, persisting): a previous topic persists when some refitted topic has cosine ≥
    ``min_similarity`` with it; it is stable when the most similar one carries its id."""
    from models.text.topics import _cosine_across

    sim = _cosine_across(new.components, new.vocabulary, prev)  # (k_new, k_old)
    persisting = stable = 0
    for j, old_id in enumerate(prev.topic_ids):
        i = int(sim[:, j].argmax())
        if sim[i, j] >= min_similarity:
            persisting += 1
            stable += int(new.topic_ids[i] == old_id)
    return stable, persisting


@pytest.mark.slow
def test_topic_ids_stable_across_monthly_refits(county_stage, county):
    result, truth, _ = county_stage
    places = county[2]
    docs = result.documents
    tokens_of = dict(zip(docs["document_key"], range(len(docs)), strict=True))
    from models.text.normalise import normalise_many, strip_placeholders
    from models.text.segment import tokenize_many

    months = sorted(docs["month"].unique())
    stable = persisting = 0
    for source in ("petitions", "hotline", "incidents"):
        d = docs[docs["source"] == source]
        keys = set(d["document_key"])
        t = truth[truth["record_key"].astype(str).isin(keys)]
        toks = tokenize_many(strip_placeholders(normalise_many(t["text"])), places, normalised=True)
        m = t["month"].astype(str).to_numpy()
        groups = t[["township_code", "month"]].astype(str).reset_index(drop=True)
        early = m <= months[-2]
        first = [x for x, e in zip(toks, early, strict=True) if e]
        # as the stage fits: place names left out, burst topics beside the fitted ones
        fit = dict(exclude=frozenset(places))
        m1, _, _ = topics_for_source(source, first, None, groups=groups[early], **fit)
        # the second fit starts from the stored state, as the next monthly run does
        m2, _, _ = topics_for_source(
            source, toks, state_to_model(topic_state(source, m1)), groups=groups, **fit
        )
        s, p = persisting_stability(m1, m2)
        stable, persisting = stable + s, persisting + p
    assert persisting > 0 and tokens_of
    assert stable / persisting >= 0.9


def test_safe_label_words_drop_placeholders_digits_and_unknown_names():
    words = ["拖欠工资", "姓名", "〔电话〕", "138", "王小明", "张伟", "城关镇", "工地"]
    kept = safe_label_words(words, known=frozenset({"城关镇"}))
    assert "拖欠工资" in kept and "城关镇" in kept and "工地" in kept
    assert not {"姓名", "〔电话〕", "138", "王小明"} & set(kept)


def test_topic_state_round_trip_keeps_ids():
    docs = [["工资", "拖欠", "工地"], ["油烟", "噪音", "扰民"], ["学校", "补课", "孩子"]] * 30
    m1 = fit_topics(docs, 3)
    m2 = fit_topics(list(reversed(docs)), 3, state_to_model(topic_state("petitions", m1)))
    assert sorted(m2.topic_ids) == sorted(m1.topic_ids)
    for tid in m1.topic_ids:
        assert m1.top_words(1)[tid] == m2.top_words(1)[tid]


def test_stage_outputs_hold_no_text():
    docs = pd.DataFrame(
        {
            "source": ["petitions"] * 60 + ["hotline"] * 60,
            "document_key": [str(i) for i in range(120)],
            "township_code": ["511321100000", "511321101000"] * 60,
            "month": ["2025-01", "2025-02", "2025-03"] * 40,
            "text": ["〔姓名〕反映老板拖欠工资，工地不发钱，电话〔电话〕。"] * 30
            + ["小区楼下餐馆油烟扰民，晚上噪音很大。"] * 30
            + ["来电者说不想活了，心里很绝望。"] * 30
            + ["来电者失眠焦虑，担心孩子考试。"] * 30,
        }
    )
    r = run_stage(docs, n_topics={"petitions": 2, "hotline": 2})
    assert "text" not in r.documents.columns
    assert r.documents.loc[r.documents["source"] == "hotline", "is_crisis"].sum() == 30
    words = " ".join(r.topics["top_words"]) + " ".join(r.topics["label"])
    assert "姓名" not in words and "电话" not in words
    assert set(r.emotion_indices.columns) >= {"n_docs", "anxiety_mean", "crisis_share"}
