"""Landing zone → Spark (issue #21): register SPEC §2's raw tables as Spark tables the dbt project can read.

DuckDB reads the landing zone directly (`read_parquet(..., union_by_name, filename, file_row_number,
hive_partitioning)`, the sources' `meta.external_location`). Spark cannot: the deliveries of one table
differ in column types (a timestamp as ISO-8601 text in one file, TIMESTAMP WITH TIME ZONE in another, naive
TIMESTAMP in the rest), and Parquet schema merging cannot union text with timestamps. So, before a Spark
build, this step reads each table's files in groups of one schema (Parquet footers only decide the groups),
renders every column as text without losing anything (a naive timestamp as its wall time, a TIMESTAMP WITH
TIME ZONE as UTC with an explicit offset, numbers in their round-trip form), adds what DuckDB's reader adds
(`filename`: the file's path, `file_row_number`: the row's 0-based position in its file, `load_date`: the
hive partition), unions the groups by column name and writes the result as the Parquet table
`<source>.<table>` (e.g. `platform.contacts`) in the Spark warehouse. Staging then types the text with the
same rules as for a text delivery on DuckDB (macros/cx_stage_typed_expressions.sql), so validation,
quarantine reasons and dedupe give the same rows.

The landing zone itself is never modified. A table with no file stops here with a message naming the table
and the folder; a required column missing from every file stops the dbt build
(macros/cx_raw_column_types.sql), with the table, the column and the path, as on DuckDB.

Example: python -m scripts.spark_landing --raw-dir data/raw --warehouse warehouse/spark
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

log = logging.getLogger(__name__)

# The eight SPEC §2 tables as (source, table): macros/cx_raw_tables.sql.
RAW_TABLES = (
    ("crm", "customers"),
    ("platform", "agents"),
    ("platform", "contacts"),
    ("platform", "contact_events"),
    ("platform", "survey_responses"),
    ("crm", "subscriptions"),
    ("crm", "orders"),
    ("platform", "fraud_cases"),
)
PARTITION = "load_date"
# A TIMESTAMP WITH TIME ZONE as text: microseconds and an explicit offset (Z in the UTC session)
ZONED_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss.SSSSSSXXX"


class LandingError(Exception):
    """The landing zone cannot be registered for Spark (no files for a table, unreadable file)."""


def spark_conf(warehouse: Path, threads: int, memory: str) -> dict[str, str]:
    """The local Spark session's settings: those of the `spark` output of profiles.yml (keep them in step)."""
    warehouse = warehouse.resolve()
    return {
        "spark.master": f"local[{threads}]",
        "spark.driver.memory": memory,
        "spark.sql.warehouse.dir": str(warehouse),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={warehouse}/metastore_db;create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={warehouse}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": os.environ.get("CX_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.sql.ansi.enabled": "false",
        "spark.ui.enabled": "false",
        "spark.sql.jsonGenerator.ignoreNullFields": "false",
        "spark.ui.showConsoleProgress": "false",
    }


def spark_session(conf: dict[str, str]) -> Any:
    """A local Spark session with Hive support (the metastore the dbt build then reads)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport().appName("cx_spark_landing")
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def schema_groups(files: list[Path]) -> list[list[Path]]:
    """The files grouped by Parquet schema (column names and types, from the footers), in path order."""
    groups: dict[str, list[Path]] = {}
    for path in files:
        try:
            schema = pq.read_schema(path)
        except Exception as error:  # a broken file stops the step, naming the file
            raise LandingError(f"cannot read the Parquet footer of {path}: {error}") from error
        key = ";".join(f"{field.name.lower()}:{field.type}" for field in schema)
        groups.setdefault(key, []).append(path)
    return list(groups.values())


def _as_text(frame: Any, name: str) -> Any:
    """One column as text, losslessly (see the module docstring)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    data_type = frame.schema[name].dataType
    column = F.col(f"`{name}`")
    if isinstance(data_type, T.StringType):
        return column
    if isinstance(data_type, T.TimestampType):
        return F.date_format(column, ZONED_TIMESTAMP_FORMAT)
    return column.cast("string")


def read_group(session: Any, paths: list[Path], partitioned: bool, raw_dir: Path) -> Any:
    """One schema group's rows, every column as text, with filename, file_row_number and load_date.

    `filename` is the path as DuckDB's reader gives it: under the raw dir as given (relative or absolute).
    """
    from pyspark.sql import functions as F

    frame = session.read.parquet(*[str(path) for path in paths])
    names = [name for name in frame.columns if name.lower() != PARTITION]
    columns = [_as_text(frame, name).alias(name.lower()) for name in names]
    # Spark reports a file as a URI (file:///…); the path as DuckDB's `filename` gives it ('+' is not encoded)
    file_path = F.col("_metadata.file_path")
    without_scheme = F.regexp_replace(file_path, r"^file:(//)?", "")
    absolute = F.url_decode(F.replace(without_scheme, F.lit("+"), F.lit("%2B")))
    resolved = str(raw_dir.resolve())
    filename = F.concat(F.lit(str(raw_dir)), F.substring(absolute, len(resolved) + 1, 1 << 30))
    columns.append(filename.alias("filename"))
    columns.append(F.col("_metadata.row_index").cast("bigint").alias("file_row_number"))
    if partitioned:
        columns.append(F.regexp_extract(file_path, PARTITION + r"=([^/]+)/", 1).alias(PARTITION))
    return frame.select(*columns)


def register_table(session: Any, raw_dir: Path, source: str, table: str) -> dict[str, Any]:
    """Write `<source>.<table>` from the table's files; returns what was written."""
    folder = raw_dir / table
    files = sorted(folder.glob("**/*.parquet"))
    if not files:
        raise LandingError(f"raw table '{table}' has no Parquet file under {folder}/**/*.parquet (SPEC §2)")
    partitioned = any(f"{PARTITION}=" in str(path.relative_to(raw_dir)) for path in files)
    groups = schema_groups(files)
    frame = None
    for paths in groups:
        part = read_group(session, paths, partitioned, raw_dir)
        frame = part if frame is None else frame.unionByName(part, allowMissingColumns=True)
    session.sql(f"create database if not exists {source}")
    frame.write.mode("overwrite").format("parquet").saveAsTable(f"{source}.{table}")
    return {"files": len(files), "schemas": len(groups), "columns": len(frame.columns)}


def register(raw_dir: Path, warehouse: Path, *, threads: int = 1, memory: str = "4g") -> dict[str, dict]:
    """Register every SPEC §2 table of `raw_dir` in the Spark warehouse `warehouse`."""
    warehouse.mkdir(parents=True, exist_ok=True)
    session = spark_session(spark_conf(warehouse, threads, memory))
    report: dict[str, dict] = {}
    try:
        for source, table in RAW_TABLES:
            started = time.perf_counter()
            report[table] = register_table(session, raw_dir, source, table)
            report[table]["seconds"] = round(time.perf_counter() - started, 1)
            log.info("%s.%s: %s", source, table, report[table])
    finally:
        session.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("CX_RAW_DIR", "data/raw")))
    parser.add_argument(
        "--warehouse", type=Path, default=Path(os.environ.get("CX_SPARK_WAREHOUSE", "warehouse/spark"))
    )
    parser.add_argument("--threads", type=int, default=int(os.environ.get("CX_THREADS", "1")))
    parser.add_argument("--memory", default=os.environ.get("CX_SPARK_MEMORY", "4g"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        register(args.raw_dir, args.warehouse, threads=args.threads, memory=args.memory)
    except LandingError as error:
        log.error("error: %s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
