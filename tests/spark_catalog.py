"""The Spark side of tests/test_portability.py, run as its own process in a working folder
(Spark's Hive catalog, metastore_db/, and its tables, spark-warehouse/, live there; the embedded
catalog takes one process at a time, so this runs before and after dbt, never beside it):

    python -m tests.spark_catalog load PARQUET_DIR   # each PARQUET_DIR/<table>.parquet → raw.<table>
    python -m tests.spark_catalog dump OUT_DIR SCHEMA…  # each table of SCHEMA → OUT_DIR/<schema>/<table>/

The session is the one dbt-spark's `session` method builds from dbt_project/profiles.yml's
`spark` output (Hive support, local[2]).
"""

from __future__ import annotations

import sys
from pathlib import Path


def session():  # type: ignore[no-untyped-def]
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "2").enableHiveSupport().getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def load(parquet_dir: Path) -> None:
    spark = session()
    spark.sql("create database if not exists raw")
    for path in sorted(parquet_dir.glob("*.parquet")):
        spark.read.parquet(str(path)).write.mode("overwrite").saveAsTable(f"raw.{path.stem}")
        print(path.stem, spark.table(f"raw.{path.stem}").count(), flush=True)
    spark.stop()


def dump(out_dir: Path, schemas: list[str]) -> None:
    spark = session()
    for schema in schemas:
        for row in spark.sql(f"show tables in {schema}").collect():
            if row.isTemporary:
                continue
            table = spark.table(f"{schema}.{row.tableName}")
            table.coalesce(1).write.mode("overwrite").parquet(
                str(out_dir / schema / row.tableName))
            print(schema, row.tableName, flush=True)
    spark.stop()


if __name__ == "__main__":
    action, folder, *rest = sys.argv[1:]
    if action == "load":
        load(Path(folder))
    elif action == "dump":
        dump(Path(folder), rest)
    else:
        sys.exit(f"unknown action {action!r}: load or dump")
