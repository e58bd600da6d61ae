"""Risk and early warning: rates with intervals, small-area smoothing and outbreak detectors.

The numbers produced here feed alerts that people act on, so every method reproduces a
published reference implementation (R ``surveillance``, PHEindicatormethods) rather than a
paraphrase of it; the tests in ``tests/risk`` hold the reference values.
"""
