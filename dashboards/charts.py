"""Pure functions from DataFrames to plotly figures (testable without Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"


def monthly_trend(df: pd.DataFrame, columns: dict[str, str], title: str) -> go.Figure:
    """Lines of county monthly totals; ``columns`` maps a column to its Chinese label.

    Suppressed cells are NULL: the totals shown are sums of published cells, and the chart
    says so rather than pretending to know the withheld values.
    """
    totals = df.groupby("month", as_index=False)[list(columns)].sum(min_count=1)
    fig = go.Figure()
    for col, label in columns.items():
        fig.add_trace(go.Scatter(x=totals["month"], y=totals[col], mode="lines+markers", name=label))
    fig.update_layout(
        title=title, font_family=FONT, hovermode="x unified", margin=dict(l=40, r=20, t=60, b=40),
        legend=dict(orientation="h", y=-0.2), yaxis_title="件数（已公开单元格合计）",
        xaxis=dict(tickformat="%Y年%m月"),
    )
    return fig
