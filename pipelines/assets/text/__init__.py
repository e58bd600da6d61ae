"""Text analytics assets (redacted text → tokens → category, topics, emotion)."""

text_assets: list = []
