"""Every landing file matches its contract: names, encodings, headers, value formats."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from pipelines.generate.config import contract, headers
from tests.generate.conftest import dataset_of, landing_files, read_all, read_landing

PATTERN = {
    "reference": r"(admin_units|population|service_capacity|township_geo)_511321\."
                 r"(csv|xlsx|geojson)",
    "health": r"(smd_registry_511321\.csv|(smd_followup|outpatient_visits|hotline_calls|"
              r"maternal_screening)_511321_\d{4}-\d{2}\.(csv|parquet|xlsx))",
    "schools": r"(schools_511321\.xlsx|student_screening_511321_\d{4}-(04|10)\.csv)",
    "petitions": r"petitions_511321_\d{4}-\d{2}\.csv",
    "public_security": r"incidents_511321_\d{4}-\d{2}\.csv",
}


def test_file_names_and_sources(small):
    files = landing_files(small)
    assert len(files) > 80
    for p in files:
        source = p.parent.name
        assert re.fullmatch(PATTERN[source], p.name), p
        assert contract(dataset_of(p))["source"] == source


def test_encodings(small):
    for p in landing_files(small):
        raw = p.read_bytes()
        ds = dataset_of(p)
        if ds == "admin_units":
            assert raw.startswith(b"\xef\xbb\xbf")
        elif ds in ("petitions", "maternal_screening"):
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8") if ds == "petitions" else raw.decode("ascii")
            raw.decode("gb18030")
        elif p.suffix == ".csv":
            raw.decode("utf-8")
            assert not raw.startswith(b"\xef\xbb\xbf")


def test_headers_equal_contract_first_headers(small):
    for p in landing_files(small):
        frame = read_landing(p)
        assert list(frame.columns) == list(headers(dataset_of(p)).values()), p


def test_values_are_written_like_exports(small):
    checked = 0
    for p in landing_files(small):
        ds = dataset_of(p)
        frame = read_landing(p)
        for name, spec in contract(ds)["columns"].items():
            col = frame[spec["headers"][0]]
            present = col[col != ""]
            t = spec["type"]
            if t == "code":
                assert set(present) <= set(map(str, spec["codes"])), (p, name, set(present))
            elif t == "bool":
                assert set(present) <= {"是", "否"}, (p, name)
            elif t == "date":
                assert present.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), (p, name)
            elif t == "datetime":
                pattern = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
                assert present.str.fullmatch(pattern).all(), (p, name)
            elif t == "month":
                assert present.str.fullmatch(r"\d{4}-\d{2}").all(), (p, name)
            elif t == "admin_code12":
                assert present.str.fullmatch(r"511321\d{6}").all(), (p, name)
            elif t == "icd10":
                assert present.str.startswith(tuple(spec["prefixes"])).all(), (p, name)
            elif t == "township_name":
                assert (present.str.endswith(("镇", "乡", "街道"))).all()
            checked += 1
    assert checked > 500


def test_partition_dates_inside_the_file_month(small):
    for ds in ("smd_followup", "outpatient_visits", "hotline_calls", "maternal_screening",
               "student_screening", "petitions", "incidents"):
        frame = read_all(small, ds)
        col = next(spec["headers"][0] for spec in contract(ds)["columns"].values()
                   if spec.get("partition"))
        month = frame["_file"].str.extract(r"_(\d{4}-\d{2})\.")[0]
        assert (frame[col].str[:7] == month).all(), ds


def test_references_resolve(small):
    units = read_all(small, "admin_units")
    levels = dict(zip(units["统计用区划代码"], units["级别"], strict=True))
    towns = {c for c, lv in levels.items() if lv in ("乡镇", "街道")}
    villages = {c for c, lv in levels.items() if lv in ("村", "社区")}
    assert 13 <= len(towns) <= 17 and 200 <= len(villages) <= 330
    assert set(read_all(small, "petitions")["乡镇代码"]) <= towns
    assert set(read_all(small, "smd_registry")["现住址村居代码"]) <= villages
    assert set(read_all(small, "service_capacity")["区划代码"]) == villages
    schools = read_all(small, "schools")
    assert 60 <= len(schools) <= 110
    assert set(read_all(small, "student_screening")["学校代码"]) <= set(schools["学校代码"])
    geo = read_all(small, "township_geo")
    assert set(geo["code"]) == towns


def test_township_polygons_tile_a_county(small):
    p = next(f for f in landing_files(small) if f.suffix == ".geojson")
    doc = json.loads(p.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    total = 0.0
    for f in doc["features"]:
        assert f["geometry"]["type"] == "Polygon"
        ring = np.array(f["geometry"]["coordinates"][0])
        assert (ring[0] == ring[-1]).all() and len(ring) >= 4
        x, y = ring[:, 0], ring[:, 1]
        area = 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))
        assert area > 0  # counter-clockwise, non-degenerate
        total += area * 111.0 * 111.0 * np.cos(np.radians(y.mean()))
    assert 1000 < total < 3000  # km²


def test_age_bands_and_pyramid(small):
    pop = read_all(small, "population")
    bands = list(contract("population")["columns"]["age_band"]["codes"])
    assert set(pop["年龄组"]) == set(bands)
    pop["n"] = pop["人口数"].astype(int)
    by = pop[pop["年份"] == pop["年份"].min()].groupby("年龄组")["n"].sum()
    assert by["50-54"] > by["20-24"] > by["85+"]
