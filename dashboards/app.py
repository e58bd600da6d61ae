"""心态 dashboard entry point: page config and navigation in one place."""

import streamlit as st

st.set_page_config(page_title="心态 · 社会心态监测预警", page_icon="🧭", layout="wide")

pages = [
    st.Page("pages/overview.py", title="总览", icon="🗺️", default=True),
]
st.navigation(pages).run()
