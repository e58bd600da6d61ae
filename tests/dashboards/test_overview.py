"""The 总览 page, run by Streamlit's AppTest against a small published store."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "dashboards" / "pages" / "overview.py")


def _run_page():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    return at


def test_overview_shows_county_totals_and_township_table(published):
    at = _run_page()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # September 2026: petitions 42 + 52 + 62; incidents 14 + 14 (the third township is suppressed)
    assert metrics["2026年09月 信访/12345 件数"] == "156"
    assert metrics["2026年09月 警情起数"] == "28"
    assert metrics["乡镇（街道）数"] == "3"
    table = at.dataframe[0].value
    assert list(table["乡镇"]) == ["文昌街道", "城关镇", "袁家桥镇"]
    assert table["警情"].isna().sum() == 1  # the suppressed cell stays blank


def test_overview_without_publication_says_what_to_do(isolated_home):
    at = _run_page()
    assert not at.exception
    assert "xintai run" in at.warning[0].value


def test_trend_chart_sums_published_cells_only():
    import pandas as pd

    from dashboards.charts import monthly_trend

    df = pd.DataFrame({"month": pd.to_datetime(["2026-08-01", "2026-08-01", "2026-09-01"]),
                       "n_petitions": [10, None, 12]})
    fig = monthly_trend(df, {"n_petitions": "信访"}, "t")
    assert list(fig.data[0].y) == [10, 12]
