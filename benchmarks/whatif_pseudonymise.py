"""ID hashing: before and after the lookup join, and DuckDB's HMAC as the next step.

    .venv/bin/python -m benchmarks.whatif_pseudonymise [--ids 1000000] [--repeat 3]

On N distinct valid-looking IDs (and a second table sharing 80 % of them, like candidates and
board members), times:

* `before` — the former privacy.pseudonymise: hashlib per distinct ID in a Python loop, a dict,
  `replace_strict(dict)`; kept here as the reference;
* `lookup join` — privacy.pseudonymise of rounds 2–6: each distinct ID hashed once into a lookup
  frame (`privacy.id_keys`), mapped with a left join;
* `pseudonymise` — privacy.pseudonymise now: each row's ID hashed where it stands (the keyed
  BLAKE2b state copied, not rebuilt), no distinct IDs and no join: in a batch of a person table
  nearly every ID is distinct; both checked identical to `before` (every value, nulls, column
  order);
* `pseudonymise_all` — both tables with one lookup (the shared IDs hashed once), against
  pseudonymise table by table; checked identical;
* DuckDB's vectorised sha256 as HMAC-SHA256 (RFC 2104), checked against Python's hmac — a
  different hash (every id_key would change once), not used by the pipeline.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import statistics
import time
from collections.abc import Callable

import duckdb
import numpy as np
import polars as pl

from pipelines import privacy

KEY = b"0123456789abcdef" * 4


def ids(n: int, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    first = pl.Series(rng.integers(10**16, 10**17 - 1, n)).cast(pl.String)
    frame = pl.DataFrame({"name": ["x"] * n,
                          "id_number": first + pl.Series(rng.integers(0, 10, n)).cast(pl.String),
                          "term": [2021] * n})
    return frame.with_columns(  # 1 % without an ID
        pl.when(pl.int_range(pl.len()) % 100 == 7).then(None).otherwise(pl.col("id_number"))
        .alias("id_number"))


def before(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """privacy.pseudonymise up to commit 9b47157."""
    ids = frame["id_number"]
    uniques = ids.drop_nulls().unique()
    mapping = dict(zip(uniques.to_list(), (privacy.keyed_hash(v, key) for v in uniques),
                       strict=True))
    hashed = ids.replace_strict(mapping, default=None, return_dtype=pl.String).alias("id_key")
    position = frame.columns.index("id_number")
    return frame.drop("id_number").insert_column(position, hashed)


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


def timed(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    members = ids(args.ids)
    shared = members.head(int(args.ids * 0.8))
    candidates = pl.concat([shared, ids(args.ids - shared.height, seed=2)])
    frames = {"board_members": members, "candidates": candidates}
    n = members["id_number"].n_unique() - 1
    print(f"{args.ids:,} rows, {n:,} distinct IDs; medians of {args.repeat}", flush=True)

    before_s, old = timed(args.repeat, lambda: before(members, KEY))
    join_s, joined = timed(args.repeat, lambda: privacy.pseudonymise(
        members, KEY, privacy.id_keys(members["id_number"], KEY)))
    after_s, new = timed(args.repeat, lambda: privacy.pseudonymise(members, KEY))
    assert isinstance(new, pl.DataFrame) and new.equals(old), "pseudonymise differs from before"
    assert isinstance(joined, pl.DataFrame) and joined.equals(old), "lookup join differs"
    print(f"one table: before {before_s:.2f} s, lookup join {join_s:.2f} s, "
          f"pseudonymise {after_s:.2f} s (identical)")

    each_s, each = timed(args.repeat, lambda: {k: privacy.pseudonymise(f, KEY)
                                               for k, f in frames.items()})
    all_s, together = timed(args.repeat, lambda: privacy.pseudonymise_all(frames, KEY))
    assert isinstance(each, dict) and isinstance(together, dict)
    assert all(each[k].equals(together[k]) for k in frames), "pseudonymise_all differs"
    before_two_s, _ = timed(args.repeat, lambda: [before(f, KEY) for f in frames.values()])
    print(f"two tables sharing 80 % of the IDs: before {before_two_s:.2f} s, pseudonymise per "
          f"table {each_s:.2f} s, pseudonymise_all {all_s:.2f} s (identical)")

    duck_s, out = timed(args.repeat, lambda: hmac_sha256_duckdb(members, KEY))
    assert isinstance(out, pl.DataFrame)
    sample = members["id_number"][0]
    expected = hmac.new(KEY, sample.encode(), hashlib.sha256).hexdigest()
    assert out["id_key"][0] == expected, (out["id_key"][0], expected)
    print(f"one table, DuckDB HMAC-SHA256 (another hash): {duck_s:.2f} s (checked against hmac)")


if __name__ == "__main__":
    main()
