"""ID numbers never leave the loading step in clear: a keyed hash (BLAKE2b MAC) replaces them.

The key comes from the environment variable BOARDSHIFT_ID_KEY, else from a local key file created
on first use (`.boardshift/id_key`, git-ignored, readable by its owner only). The same key gives
the same `id_key` on every run, so people still match across terms and bodies; without the key
nobody can test a guessed ID number against the database.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import polars as pl

KEY_ENV = "BOARDSHIFT_ID_KEY"
DEFAULT_KEY_FILE = Path(__file__).resolve().parent.parent / ".boardshift" / "id_key"
DIGEST_BYTES = 16


def load_key(path: Path = DEFAULT_KEY_FILE) -> bytes:
    """The hashing key: BOARDSHIFT_ID_KEY if set, else the key file (created on first use)."""
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def keyed_hash(value: str, key: bytes) -> str:
    return hashlib.blake2b(value.encode("utf-8"), key=key[:64], digest_size=DIGEST_BYTES).hexdigest()


def pseudonymise(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """`id_number` replaced by `id_key` (the keyed hash) in the same position."""
    if "id_number" not in frame.columns:
        return frame
    ids = frame["id_number"]
    uniques = ids.drop_nulls().unique()
    mapping = dict(zip(uniques.to_list(), (keyed_hash(v, key) for v in uniques), strict=True))
    hashed = ids.replace_strict(mapping, default=None, return_dtype=pl.String).alias("id_key")
    position = frame.columns.index("id_number")
    return frame.drop("id_number").insert_column(position, hashed)
