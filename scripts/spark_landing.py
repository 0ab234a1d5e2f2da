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

Platform adapters (SPEC §8) switched on by CX_SOURCES / --sources are registered too: Amazon Connect's
contact records (gzip JSON lines, read by Spark's text reader) as `amazon_connect.contact_records`, one row
per non-blank line with `filename`, `line` and `file_row_number` as the source's DuckDB reader gives them: the
1-based rank of the line's DuckDB `hash()` within its file (identical lines are interchangeable), so both
engines rank re-deliveries alike (macros/cx_stage_source.sql). A landing-zone table that an enabled adapter
provides may have no file (SPEC §8.1): it is then not registered (a table of an earlier registration is
dropped), and staging reads the adapter's rows alone.

The Parquet adapters (Zendesk, Salesforce: Fivetran's tables under `<raw dir>/<source>/<table>/**/*.parquet`,
SPEC §8.4, §8.5) are registered as `<source>.<table>` (e.g. `zendesk.ticket`, `salesforce.case`) for every
table of the adapter's column list (macros/cx_zendesk_columns.sql, macros/cx_salesforce_columns.sql, rendered
with scripts/ops/contract.render_macro) that has files: what the source's DuckDB reader gives (union_by_name,
no hive partitioning): the Parquet columns with their types (Fivetran's tables are typed; a naive TIMESTAMP,
which Spark reads as TIMESTAMP_NTZ, becomes Spark's TIMESTAMP with the same wall time in the UTC session),
`filename` and `file_row_number` (0-based). Files of one table whose schemas differ are read by schema group
and unioned by name; a column whose groups disagree on a type is widened by Spark's union when both are
numeric, else rendered as text in every group, in the form DuckDB's union_by_name gives it. An optional table
(not in the adapter's `requires`, macros/cx_platform_adapters.sql) without files is not registered (one of an
earlier registration is dropped): staging reads an empty stand-in (cx_platform_table); a required one stops
here.

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
# The adapters' line objects (SPEC §8): (source, object, glob under <raw dir>/<source>/<object>/, the SPEC §2
# tables the adapter provides); macros/cx_platform_adapters.sql and the sources' meta.external_location
LINE_OBJECTS = (("amazon_connect", "contact_records", "**/*.json*", ("contacts", "contact_events")),)
# The Parquet adapters (SPEC §8.4, §8.5): source → (the macro file and macro listing the tables it reads)
PARQUET_ADAPTERS = {
    "zendesk": ("macros/cx_zendesk_columns.sql", "cx_zendesk_columns"),
    "salesforce": ("macros/cx_salesforce_columns.sql", "cx_salesforce_columns"),
}
KNOWN_SOURCES = ("landing_zone", *(source for source, *_ in LINE_OBJECTS), *PARQUET_ADAPTERS)
# Spark's numeric types (simpleString, without a decimal's precision): a union widens them
NUMERIC_TYPES = {"tinyint", "smallint", "int", "bigint", "float", "double", "decimal"}
PROJECT_DIR = Path(__file__).resolve().parent.parent
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
    file_path = F.col("_metadata.file_path")
    columns.append(_spark_path_as_given(raw_dir).alias("filename"))
    columns.append(F.col("_metadata.row_index").cast("bigint").alias("file_row_number"))
    if partitioned:
        columns.append(F.regexp_extract(file_path, PARTITION + r"=([^/]+)/", 1).alias(PARTITION))
    return frame.select(*columns)


def _spark_path_as_given(raw_dir: Path) -> Any:
    """`_metadata.file_path` as DuckDB's `filename` gives it: under the raw dir as given (relative or
    absolute)."""
    from pyspark.sql import functions as F

    # Spark reports a file as a URI (file:///…); the path as DuckDB's `filename` gives it ('+' is not encoded)
    without_scheme = F.regexp_replace(F.col("_metadata.file_path"), r"^file:(//)?", "")
    absolute = F.url_decode(F.replace(without_scheme, F.lit("+"), F.lit("%2B")))
    resolved = str(raw_dir.resolve())
    return F.concat(F.lit(str(raw_dir)), F.substring(absolute, len(resolved) + 1, 1 << 30))


def _duckdb_line_hashes(batches: Any) -> Any:
    """mapInArrow: each batch with `line_hash`, DuckDB's `hash(line)` (UBIGINT, as decimal(20, 0))."""
    import duckdb
    import pyarrow as pa

    connection = duckdb.connect(config={"threads": 1})
    try:
        for batch in batches:
            lines = connection.from_arrow(pa.Table.from_batches([batch]))
            hashes = lines.select("cast(hash(line) as decimal(20, 0)) as h").to_arrow_table()
            yield batch.append_column("line_hash", hashes.column("h").combine_chunks())
    finally:
        connection.close()


def register_lines(session: Any, raw_dir: Path, source: str, name: str, pattern: str) -> dict[str, Any]:
    """Write `<source>.<name>` from an adapter's line files, a row per non-blank line; returns a summary.

    The rows are those of the source's DuckDB reader (models/staging/<source>/_<source>__sources.yml): blank
    lines skipped, `file_row_number` the rank of the line's DuckDB hash within its file, from 1.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    folder = raw_dir / source / name
    files = sorted(path for path in folder.glob(pattern) if path.is_file())
    if not files:
        raise LandingError(
            f"{source} is switched on (CX_SOURCES) but has no file under {folder}/{pattern} (SPEC §8.1)"
        )
    frame = session.read.text([str(path) for path in files])
    line = F.col("value")
    lines = frame.select(_spark_path_as_given(raw_dir).alias("filename"), line.alias("line")).where(
        (line != "") & (F.ascii(line).between(33, 126) | F.nullif(F.trim(line), F.lit("")).isNotNull())
    )
    hashed = lines.mapInArrow(_duckdb_line_hashes, "filename string, line string, line_hash decimal(20, 0)")
    position = F.row_number().over(Window.partitionBy("filename").orderBy("line_hash"))
    result = hashed.select("filename", "line", position.cast("bigint").alias("file_row_number"))
    session.sql(f"create database if not exists {source}")
    result.write.mode("overwrite").format("parquet").saveAsTable(f"{source}.{name}")
    return {"files": len(files), "lines": session.table(f"{source}.{name}").count()}


def register_table(
    session: Any, raw_dir: Path, source: str, table: str, optional: bool = False
) -> dict[str, Any]:
    """Write `<source>.<table>` from the table's files; returns what was written.

    optional: an enabled adapter provides the table (SPEC §8.1), so no file is no error: the table is then
    not registered (one of an earlier registration is dropped).
    """
    folder = raw_dir / table
    files = sorted(folder.glob("**/*.parquet"))
    if not files and optional:
        session.sql(f"drop table if exists {source}.{table}")
        return {"files": 0, "skipped": "provided by an enabled adapter"}
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


def adapter_tables(source: str) -> list[str]:
    """The tables a Parquet adapter reads: the keys of its column-list macro (cx_zendesk_columns, …)."""
    from scripts.ops import contract

    macro_file, macro_name = PARQUET_ADAPTERS[source]
    return list(contract.render_macro(PROJECT_DIR, macro_file, macro_name))


def adapter_requires(source: str) -> list[str]:
    """The tables without which the adapter cannot map (cx_platform_adapters: `requires`)."""
    from scripts.ops import adapters

    return list(adapters.registry(PROJECT_DIR)[source]["requires"])


def _duckdb_text(frame: Any, name: str) -> Any:
    """One column as DuckDB's union_by_name gives it when the files disagree on its type (it reads it as
    VARCHAR): a naive timestamp as `2025-01-01 10:00:00.25` (fraction trimmed, none when zero), one with a
    time zone the same with `+00` (the UTC session), anything else as Spark's cast to text."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    data_type = frame.schema[name].dataType
    column = F.col(f"`{name}`")
    if isinstance(data_type, T.TimestampNTZType | T.TimestampType):
        # the fraction's microseconds (pmod: right before 1970 too)
        micros = F.lpad(
            F.pmod(F.unix_micros(column.cast("timestamp")), F.lit(1_000_000)).cast("string"), 6, "0"
        )
        fraction = F.when(micros == "000000", F.lit("")).otherwise(
            F.concat(F.lit("."), F.regexp_replace(micros, "0+$", ""))
        )
        text = F.concat(F.date_format(column.cast("timestamp"), "yyyy-MM-dd HH:mm:ss"), fraction)
        if isinstance(data_type, T.TimestampType):
            text = F.concat(text, F.lit("+00"))
        return F.when(column.isNotNull(), text)
    if isinstance(data_type, T.StringType):
        return column
    return column.cast("string")


def _typed_group(session: Any, paths: list[Path], raw_dir: Path, as_text: set[str]) -> Any:
    """One schema group of a Parquet adapter's table with its Parquet types (the columns of `as_text` as
    DuckDB's text), filename and file_row_number."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    frame = session.read.parquet(*[str(path) for path in paths])
    columns = []
    for field in frame.schema.fields:
        column = F.col(f"`{field.name}`")
        if field.name.lower() in as_text:
            column = _duckdb_text(frame, field.name)
        elif isinstance(field.dataType, T.TimestampNTZType):
            # a naive Parquet timestamp: the same wall time as Spark's TIMESTAMP in the UTC session
            column = column.cast("timestamp")
        columns.append(column.alias(field.name.lower()))
    columns.append(_spark_path_as_given(raw_dir).alias("filename"))
    columns.append(F.col("_metadata.row_index").cast("bigint").alias("file_row_number"))
    return frame.select(*columns)


def register_parquet_table(
    session: Any, raw_dir: Path, source: str, table: str, optional: bool
) -> dict[str, Any]:
    """Write `<source>.<table>` from a Parquet adapter's files (the module docstring); returns a summary."""
    folder = raw_dir / source / table
    files = sorted(path for path in folder.glob("**/*.parquet") if path.is_file())
    relation = f"{source}.`{table}`"  # quoted: `case`, `group`, `user` are SQL keywords
    session.sql(f"create database if not exists {source}")
    if not files and optional:
        session.sql(f"drop table if exists {relation}")
        return {"files": 0, "skipped": "optional, no file"}
    if not files:
        raise LandingError(
            f"{source} is switched on (CX_SOURCES) but its table '{table}' has no Parquet file under "
            f"{folder}/**/*.parquet (SPEC §8.1)"
        )
    groups = schema_groups(files)
    # the columns whose groups disagree on the type: Spark's union widens numbers (as DuckDB does); any other
    # disagreement is text on both engines
    types: dict[str, set[str]] = {}
    for paths in groups:
        for field in session.read.parquet(*[str(path) for path in paths]).schema.fields:
            types.setdefault(field.name.lower(), set()).add(field.dataType.simpleString())
    as_text = {
        name
        for name, found in types.items()
        if len(found) > 1 and not all(kind.split("(")[0] in NUMERIC_TYPES for kind in found)
    }
    frame = None
    for paths in groups:
        part = _typed_group(session, paths, raw_dir, as_text)
        frame = part if frame is None else frame.unionByName(part, allowMissingColumns=True)
    frame.write.mode("overwrite").format("parquet").saveAsTable(relation)
    return {
        "files": len(files),
        "schemas": len(groups),
        "columns": len(frame.columns),
        "as_text": sorted(as_text),
    }


def enabled_sources(value: str) -> list[str]:
    """CX_SOURCES / --sources as macros/cx_enabled_sources.sql reads it; an unknown name is an error."""
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(KNOWN_SOURCES))
    if unknown:
        raise LandingError(
            f"unknown source {', '.join(unknown)} in CX_SOURCES; known: {', '.join(KNOWN_SOURCES)}"
        )
    return names


def register(
    raw_dir: Path, warehouse: Path, *, threads: int = 1, memory: str = "4g", sources: str = "landing_zone"
) -> dict[str, dict]:
    """Register the raw tables the enabled sources read from `raw_dir` in the Spark warehouse `warehouse`."""
    enabled = enabled_sources(sources)
    provided = {table for source, _, _, tables in LINE_OBJECTS if source in enabled for table in tables}
    if any(source in PARQUET_ADAPTERS for source in enabled):
        from scripts.ops import adapters

        registry = adapters.registry(PROJECT_DIR)
        provided |= {
            table
            for source in enabled
            if source in PARQUET_ADAPTERS
            for table in registry[source]["provides"]
        }
    warehouse.mkdir(parents=True, exist_ok=True)
    # the Python workers (the line hashes) run the interpreter that runs this step
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = spark_session(spark_conf(warehouse, threads, memory))
    report: dict[str, dict] = {}
    try:

        def timed(relation: str, registered: dict[str, Any], started: float) -> None:
            report[relation] = {**registered, "seconds": round(time.perf_counter() - started, 1)}
            log.info("%s: %s", relation, report[relation])

        if "landing_zone" in enabled:
            for source, table in RAW_TABLES:
                started = time.perf_counter()
                registered = register_table(session, raw_dir, source, table, optional=table in provided)
                timed(f"{source}.{table}", registered, started)
        for source, name, pattern, _ in LINE_OBJECTS:
            if source in enabled:
                started = time.perf_counter()
                timed(f"{source}.{name}", register_lines(session, raw_dir, source, name, pattern), started)
        for source in PARQUET_ADAPTERS:
            if source in enabled:
                requires = adapter_requires(source)
                for table in adapter_tables(source):
                    started = time.perf_counter()
                    registered = register_parquet_table(
                        session, raw_dir, source, table, optional=table not in requires
                    )
                    timed(f"{source}.{table}", registered, started)
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
    parser.add_argument(
        "--sources",
        default=os.environ.get("CX_SOURCES", "landing_zone"),
        help="the sources switched on, comma-separated, as CX_SOURCES for the build (default: $CX_SOURCES or "
        "landing_zone; e.g. landing_zone,amazon_connect,zendesk,salesforce)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        register(args.raw_dir, args.warehouse, threads=args.threads, memory=args.memory, sources=args.sources)
    except LandingError as error:
        log.error("error: %s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
