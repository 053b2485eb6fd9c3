"""boardshift's pipeline: read and validate the raw files, load them into DuckDB, build the dbt
models, export the marts."""

import os

# polars allocates through a jemalloc of its own, which gives freed memory back to the system
# after 0.5 s (polars' setting). The ingest validates a 1,000,000-row batch every ≈ 2.5 s, so
# each batch's memory was given back and then faulted in afresh: at the nation ≈ 12.9 M page
# faults and ≈ 37 s of system time. Kept 2 s (and then given back at once), ≈ 10.5 M faults,
# ≈ 30 s, the ingest ≈ 5 % shorter, its peak + 0.1 GiB (benchmarks/README.md, round 8). jemalloc
# reads this when polars is loaded, so it is set here, before any module of the package imports
# polars; a value the user set is kept.
MALLOC_CONF_ENV = "_RJEM_MALLOC_CONF"
MALLOC_CONF = "dirty_decay_ms:2000,muzzy_decay_ms:0"
os.environ.setdefault(MALLOC_CONF_ENV, MALLOC_CONF)
