"""身份证号: valid checksums, region and birth date consistent, dirt exactly as recorded."""

from __future__ import annotations

import json

import pandas as pd

from pipelines.generate.idnumbers import check_char
from tests.generate.conftest import landing_files, read_landing

FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
ID_COLUMNS = {"smd_registry": "身份证号", "smd_followup": "身份证号",
              "outpatient_visits": "身份证号",
              "student_screening": "身份证号", "petitions": "信访人身份证号",
              "incidents": "涉事人员身份证号"}


def normalise(raw: str) -> str:
    return raw.translate(FULLWIDTH).replace(" ", "").upper()


def classify(raw: str) -> str:
    """clean | dirty (recoverable) | invalid."""
    s = normalise(raw)
    if len(s) == 15 and s.isdigit():
        pd.Timestamp("19" + s[6:12])
        return "dirty"
    assert len(s) == 18 and s[:17].isdigit(), raw
    if check_char(s[:17]) != s[17]:
        return "invalid"
    pd.Timestamp(s[6:14])
    assert s.startswith("511321")
    return "clean" if raw == s else "dirty"


def test_ids_valid_except_recorded_dirty_rows(small):
    dirty = json.loads((small / "truth/dirty_rows.json").read_text(encoding="utf-8"))
    seen_invalid = seen_dirty = 0
    for p in landing_files(small):
        ds = next((d for d in ID_COLUMNS if p.name.startswith(d + "_")), None)
        if ds is None:
            continue
        rel = p.relative_to(small / "landing").as_posix()
        col = read_landing(p)[ID_COLUMNS[ds]]
        cells = [c for v in col if v for c in v.split("；")]
        kinds = pd.Series([classify(c) for c in cells], dtype=object)
        n_invalid = int((kinds == "invalid").sum())
        n_dirty = int((kinds == "dirty").sum())
        assert n_invalid == dirty[rel].get("invalid_id", 0), rel
        assert n_dirty == dirty[rel].get("dirty_valid_id", 0), rel
        seen_invalid += n_invalid
        seen_dirty += n_dirty
    assert seen_dirty > 50 and seen_invalid >= 1


def test_bad_rows_reconcile(small):
    dirty = json.loads((small / "truth/dirty_rows.json").read_text(encoding="utf-8"))
    assert set(dirty) == {p.relative_to(small / "landing").as_posix() for p in landing_files(small)}
    limits = {"PHQ-9": 27, "GAD-7": 21, "EPDS得分": 30, "危险性评估": 5}
    for p in landing_files(small):
        frame = read_landing(p)
        bad = pd.Series(False, index=frame.index)
        for col, hi in limits.items():
            if col in frame:
                bad |= frame[col].astype(int) > hi
        id_cols = ("身份证号", "信访人身份证号", "涉事人员身份证号")
        id_col = next((c for c in id_cols if c in frame), None)
        if id_col:
            bad |= frame[id_col].map(lambda v: any(classify(c) == "invalid" for c in v.split("；")
                                                   if c))
        rel = p.relative_to(small / "landing").as_posix()
        assert int(bad.sum()) == dirty[rel]["bad_rows"], rel
    assert sum(v["bad_rows"] for v in dirty.values()) > 0


def test_registry_birth_dates_and_stable_ids(small):
    reg = read_landing(next(p for p in landing_files(small) if p.name.startswith("smd_registry")))
    clean = reg[reg["身份证号"].str.fullmatch(r"[0-9]{17}[0-9X]")]
    assert (clean["身份证号"].str[6:14] == clean["出生日期"].str.replace("-", "")).all()
    male = clean["身份证号"].str[16].astype(int) % 2 == 1
    assert ((clean["性别"] == "男") == male).all()
    ids = set(reg["身份证号"].map(normalise))
    fu = pd.concat(read_landing(p) for p in landing_files(small)
                   if p.name.startswith("smd_followup"))
    assert fu["身份证号"].map(normalise).isin(ids).mean() > 0.99
    op = pd.concat(read_landing(p) for p in landing_files(small)
                   if p.name.startswith("outpatient_visits"))
    assert op["身份证号"].map(normalise).isin(ids).sum() > 100  # SMD patients' refill visits
    assert len(ids) == len(reg)  # one ID per patient
    pet = pd.concat(read_landing(p) for p in landing_files(small) if p.name.startswith("petitions"))
    given = pet.loc[pet["信访人身份证号"] != "", "信访人身份证号"]
    assert given.value_counts().max() > 2  # petitioners repeat across months
