"""ID numbers never leave the loading step in clear: a keyed hash (BLAKE2b MAC) replaces them.

The key comes from the environment variable BOARDSHIFT_ID_KEY, else from a local key file created
on first use (`.boardshift/id_key`, git-ignored, readable by its owner only). The same key gives
the same `id_key` on every run, so people still match across terms and bodies; without the key
nobody can test a guessed ID number against the database.

An `id_key` is 12 characters: a 72-bit MAC (BLAKE2b's digest size 9) in base64. Long enough
that two people of a whole country never share one (≈ 15 M distinct IDs: odds of any collision
≈ 2 × 10⁻⁸), and short enough that DuckDB keeps it inside the 16-byte string value itself (up to 12 bytes)
instead of behind a pointer: every join and comparison on it — the loader's inserts, the 连任
and within-term matches, the candidate ↔ member pairing — works on fixed-size values.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import polars as pl

KEY_ENV = "BOARDSHIFT_ID_KEY"
DEFAULT_KEY_FILE = Path(__file__).resolve().parent.parent / ".boardshift" / "id_key"
DIGEST_BYTES = 9  # 72 bits: 12 base64 characters, no padding


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
    digest = hashlib.blake2b(value.encode("utf-8"), key=key[:64], digest_size=DIGEST_BYTES).digest()
    return base64.b64encode(digest).decode("ascii")


def _hashes(values: pl.Series, key: bytes) -> pl.Series:
    """keyed_hash() of each value, in order; null stays null (the keyed BLAKE2b state is set up
    once and copied for each value; the digests are put in base64 by polars, all at once)."""
    start = hashlib.blake2b(key=key[:64], digest_size=DIGEST_BYTES).copy
    digests: list[bytes | None] = []
    add = digests.append
    for value in values.cast(pl.String).cast(pl.Binary).to_list():
        if value is None:
            add(None)
            continue
        state = start()
        state.update(value)
        add(state.digest())
    return pl.Series("id_key", digests, dtype=pl.Binary).bin.encode("base64")


def id_keys(ids: pl.Series, key: bytes) -> pl.DataFrame:
    """Lookup frame (id_number, id_key): each distinct non-null ID of `ids` hashed once, with
    the same keyed hash as keyed_hash()."""
    uniques = ids.drop_nulls().unique().cast(pl.String)
    return pl.DataFrame({"id_number": uniques, "id_key": _hashes(uniques, key)})


def pseudonymise(frame: pl.DataFrame, key: bytes, lookup: pl.DataFrame | None = None
                 ) -> pl.DataFrame:
    """`id_number` replaced by `id_key` (the keyed hash) in the same position; null stays null.

    Without `lookup` each row's ID is hashed where it stands: in a batch of a person table
    nearly every ID is distinct, and finding the distinct ones and joining their hashes back
    cost more than the hashes they save (1M rows: ≈ 0.7 s against ≈ 1.2 s). `lookup` (from
    id_keys, covering every ID of the frame) is for IDs shared across tables: see
    pseudonymise_all."""
    if "id_number" not in frame.columns:
        return frame
    position = frame.columns.index("id_number")
    if lookup is None:
        hashed = _hashes(frame["id_number"], key)
    else:
        ids = frame.select(pl.col("id_number").cast(pl.String))
        hashed = ids.join(lookup, on="id_number", how="left", maintain_order="left")["id_key"]
        if hashed.len() != frame.height or hashed.null_count() != ids["id_number"].null_count():
            raise ValueError("the lookup frame does not cover every ID number once")
    return frame.drop("id_number").insert_column(position, hashed)


def pseudonymise_all(frames: Mapping[str, pl.DataFrame], key: bytes) -> dict[str, pl.DataFrame]:
    """pseudonymise() for several tables, hashing the distinct IDs of all of them once (board
    members and candidates share most); same output as pseudonymise() table by table."""
    ids = [f["id_number"].cast(pl.String) for f in frames.values() if "id_number" in f.columns]
    if not ids:
        return dict(frames)
    lookup = id_keys(pl.concat(ids), key)
    return {name: pseudonymise(frame, key, lookup) for name, frame in frames.items()}
