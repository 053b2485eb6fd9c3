"""What if ID numbers were hashed without a Python loop? Evidence for the recommendations.

    .venv/bin/python -m benchmarks.whatif_pseudonymise [--ids 1000000]

privacy.pseudonymise hashes every distinct ID with hashlib (a Python call per ID), builds a
dict of all of them and maps it with replace_strict. This times it on N distinct valid-looking
IDs against the same work with the hashes computed in DuckDB's vectorised sha256 (keyed as
HMAC-SHA256 with two sha256 calls, RFC 2104), and checks the DuckDB HMAC against Python's hmac
module.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import time

import duckdb
import numpy as np
import polars as pl

from pipelines import privacy

KEY = b"0123456789abcdef" * 4


def ids(n: int) -> pl.DataFrame:
    rng = np.random.default_rng(1)
    first = pl.Series(rng.integers(10**16, 10**17 - 1, n)).cast(pl.String)
    return pl.DataFrame({"id_number": first + pl.Series(rng.integers(0, 10, n)).cast(pl.String),
                         "name": ["x"] * n})


def hmac_sha256_duckdb(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """id_key = HMAC-SHA256(key, id) as hex, computed by DuckDB (sha256 takes BLOBs)."""
    block = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    ipad = bytes(b ^ 0x36 for b in block).hex()
    opad = bytes(b ^ 0x5C for b in block).hex()
    con = duckdb.connect()
    try:
        con.register("incoming", frame.to_arrow())
        return con.sql(
            "select * exclude (id_number), "
            "sha256(unhex(?) || unhex(sha256(unhex(?) || encode(id_number)))) as id_key "
            "from incoming", params=[opad, ipad]).pl()
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    frame = ids(args.ids)
    t = time.perf_counter()
    privacy.pseudonymise(frame, KEY)
    python_s = time.perf_counter() - t
    t = time.perf_counter()
    out = hmac_sha256_duckdb(frame, KEY)
    duck_s = time.perf_counter() - t
    sample = frame["id_number"][0]
    expected = hmac.new(KEY, sample.encode(), hashlib.sha256).hexdigest()
    assert out["id_key"][0] == expected, (out["id_key"][0], expected)
    print(f"{args.ids:,} distinct IDs: privacy.pseudonymise {python_s:.2f} s, "
          f"DuckDB HMAC-SHA256 {duck_s:.2f} s (checked against hmac)")


if __name__ == "__main__":
    main()
