"""Risk assets (rates, detectors, composite township risk level)."""

risk_assets: list = []
