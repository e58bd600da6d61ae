"""The restricted store's encryption key, kept outside the warehouse.

From ``XINTAI_WAREHOUSE_KEY`` when set (deployments keep it in a vault), else from
``$XINTAI_HOME/secrets/warehouse.key``, created on first use with mode 0600 in a 0700 folder.
Never logged, printed or written into a database. (The pseudonym key is handled beside the
pseudonymiser: models/privacy/pseudonym.py.)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_BYTES = 32


def load_or_create_key(secrets_dir: Path, name: str, env_var: str) -> bytes:
    env_value = os.environ.get(env_var)
    if env_value:
        return _decode(env_value, env_var)
    path = secrets_dir / f"{name}.key"
    if not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(secrets_dir, 0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            return bytes.fromhex(path.read_text().strip())
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES).hex())
    return bytes.fromhex(path.read_text().strip())


def _decode(value: str, env_var: str) -> bytes:
    import base64
    import binascii

    value = value.strip()
    try:
        key = bytes.fromhex(value)
    except ValueError:
        try:
            key = base64.b64decode(value, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"{env_var} must be hex or base64") from exc
    if len(key) < KEY_BYTES:
        raise ValueError(f"{env_var} must hold at least {KEY_BYTES} bytes")
    return key


def warehouse_key(secrets_dir: Path) -> str:
    """The restricted store's DuckDB ENCRYPTION_KEY (hex text)."""
    return load_or_create_key(secrets_dir, "warehouse", "XINTAI_WAREHOUSE_KEY").hex()
