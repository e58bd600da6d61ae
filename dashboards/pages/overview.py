"""总览: county totals, the township table and the monthly trend."""

import pandas as pd
import streamlit as st

from dashboards import charts, data

st.title("总览")
if not data.is_published():
    st.warning("尚无已发布数据。请先运行 `xintai run`（或 `xintai demo`）。")
    st.stop()

info = data.publication_info()
tm = data.township_month()
last_month = tm["month"].max()
latest = tm[tm["month"] == last_month]

st.caption(
    f"数据期：{pd.Timestamp(info.get('first_month')):%Y年%m月} — {pd.Timestamp(info.get('last_month')):%Y年%m月}；"
    f"发布时间 {pd.Timestamp(info.get('published_at')):%Y-%m-%d %H:%M}；小于 {int(info.get('suppression_k', 10))} 的单元格不予公开。"
)

c1, c2, c3 = st.columns(3)
c1.metric(f"{last_month:%Y年%m月} 信访/12345 件数", f"{int(latest['n_petitions'].sum(min_count=1) or 0):,}")
c2.metric(f"{last_month:%Y年%m月} 警情起数", f"{int(latest['n_incidents'].sum(min_count=1) or 0):,}")
c3.metric("乡镇（街道）数", f"{tm['township_code'].nunique()}")

st.plotly_chart(
    charts.monthly_trend(tm, {"n_petitions": "信访/12345", "n_incidents": "警情"}, "全县逐月趋势"),
    use_container_width=True,
)

st.subheader(f"各乡镇 {last_month:%Y年%m月}")
table = latest[["township_name", "n_petitions", "n_incidents", "population"]].rename(columns={
    "township_name": "乡镇", "n_petitions": "信访/12345", "n_incidents": "警情", "population": "常住人口",
})
st.dataframe(table, hide_index=True, use_container_width=True)
st.caption("空白表示该单元格因数量过小（1–k−1）而不予公开。")
