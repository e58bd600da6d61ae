"""The restricted store's encryption key, kept outside the warehouse.

From ``XINTAI_WAREHOUSE_KEY`` when set (deployments keep it in a vault), else from
``$XINTAI_HOME/secrets/warehouse.key``, created on first use with mode 0600 in a 0700 folder,
by the same loader as the pseudonym key (models/privacy/pseudonym.py). Never logged, printed
or written into a database.
"""

from __future__ import annotations

from pathlib import Path

from models.privacy.pseudonym import load_secret_key


def warehouse_key(secrets_dir: Path) -> str:
    """The restricted store's DuckDB ENCRYPTION_KEY (hex text)."""
    return load_secret_key(
        secrets_dir / "warehouse.key", "XINTAI_WAREHOUSE_KEY", what="warehouse key"
    ).hex()
