"""Imported once by the fork server that starts ingestion workers (see ``prepare``): the
code and the redaction lexicon (~90 MB, 1-2 s to load) every worker needs, loaded once and
shared by the workers forked from it."""

from models.privacy.redact import preload
from pipelines.ingest import prepare  # noqa: F401

preload()
