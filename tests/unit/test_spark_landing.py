"""scripts.spark_landing's parts that need no Spark (issue #21): the sources switched on and the line hashes
that give an adapter's lines DuckDB's `file_row_number` (the Spark step itself runs in `make test-spark`)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml

from scripts import spark_landing

ROOT = Path(__file__).absolute().parents[2]


def test_line_hashes_are_duckdbs() -> None:
    lines = ['{"ContactId": "c1"}', "not json", '{"ContactId": "c1"}', "é ☎"]
    batch = pa.RecordBatch.from_pydict({"filename": ["f"] * len(lines), "line": lines})
    (hashed,) = list(spark_landing._duckdb_line_hashes(iter([batch])))
    expected = [
        duckdb.execute("select cast(hash(?) as decimal(20, 0))", [line]).fetchall()[0][0] for line in lines
    ]
    assert hashed.column_names == ["filename", "line", "line_hash"]
    assert hashed.column("line_hash").to_pylist() == expected
    # identical lines hash alike: their order within a file is interchangeable, as on DuckDB
    assert expected[0] == expected[2]


def test_enabled_sources() -> None:
    assert spark_landing.enabled_sources(" Landing_Zone, amazon_connect ,") == [
        "landing_zone",
        "amazon_connect",
    ]
    assert spark_landing.enabled_sources("landing_zone,amazon_connect,zendesk,salesforce")[2:] == [
        "zendesk",
        "salesforce",
    ]
    with pytest.raises(spark_landing.LandingError, match="unknown source genesys"):
        spark_landing.enabled_sources("landing_zone,genesys")


def test_line_objects_match_the_adapter_registry() -> None:
    # macros/cx_platform_adapters.sql: amazon_connect's contact_records, files under the same glob
    registry = (ROOT / "macros" / "cx_platform_adapters.sql").read_text()
    for source, name, pattern, provides in spark_landing.LINE_OBJECTS:
        assert f"'{source}/{name}/{pattern}'" in registry
        assert f"'provides': {list(provides)}" in registry


def test_parquet_adapters_match_the_registry_and_sources() -> None:
    # every adapter whose objects are Parquet (macros/cx_platform_adapters.sql) is registered by the step,
    # its tables read from the adapter's column list (the same tables as the sources YAML), and its required
    # tables are among them
    from scripts.ops import adapters

    registry = adapters.registry(ROOT)
    parquet = {
        source
        for source, spec in registry.items()
        if any(obj.get("format") == "parquet" for obj in spec["objects"].values())
    }
    assert parquet == set(spark_landing.PARQUET_ADAPTERS)
    for source in parquet:
        tables = spark_landing.adapter_tables(source)
        sources_yaml = yaml.safe_load((ROOT / f"models/staging/{source}/_{source}__sources.yml").read_text())
        (declared,) = [entry for entry in sources_yaml["sources"] if entry["name"] == source]
        assert set(tables) == {table["name"] for table in declared["tables"]}
        assert set(spark_landing.adapter_requires(source)) <= set(tables)
        # table names such as case, group and user are SQL keywords: the source quotes them (on Spark)
        assert declared.get("quoting", {}).get("identifier") is True
