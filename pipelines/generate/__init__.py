"""Synthetic county generator: writes a realistic, seeded county into the landing zone.

Entry point: :func:`pipelines.generate.county.generate`. See README.md in this folder for the
rates and their sources.
"""
