from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    """~200 hand-written citizen-message / hotline / incident sentences."""
    lines = (DATA / "complaints_corpus.txt").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


@pytest.fixture(scope="session")
def segmenter():
    from models.text.segment import Segmenter

    return Segmenter(["城关镇", "青龙乡", "石门村", "白马镇"])


@pytest.fixture(scope="session")
def scorer():
    from models.text.emotion import EmotionScorer

    return EmotionScorer()
