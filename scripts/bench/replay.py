"""dbt's overhead: execute the SQL dbt compiled, in dependency order, in one DuckDB session.

From the manifest.json of a full-refresh build: seeds are copied from the built warehouse (timed), then
every model of the project (in topological order) runs as ``create or replace table|view <relation> as
<compiled SQL>`` and every data test as ``select count(*) from (<compiled SQL>)``, with the profile's
session settings. The database file is named like dbt's (the catalog name is the file stem, which the
compiled SQL references).
"""

from __future__ import annotations

import json
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from scripts.bench.data import remove_database


def _order(manifest: dict, project: str) -> list[dict]:
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed") and node["package_name"] == project
    }
    graph = {}
    for uid, node in nodes.items():
        graph[uid] = [d for d in node.get("depends_on", {}).get("nodes", []) if d in nodes]
    return [nodes[uid] for uid in TopologicalSorter(graph).static_order()]


def run(
    target_path: Path,
    built_warehouse: Path,
    replay_dir: Path,
    *,
    memory_limit: str,
    threads: int | None = None,
    with_tests: bool = True,
) -> dict:
    manifest = json.loads((target_path / "manifest.json").read_text())
    project = manifest["metadata"].get("project_name") or "cx_outcomes"
    replay_dir.mkdir(parents=True, exist_ok=True)
    database = replay_dir / built_warehouse.name
    remove_database(database)
    con = duckdb.connect(str(database), config={"storage_compatibility_version": "v1.4.0"})
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    cpu_started = time.process_time()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute("set preserve_insertion_order = false")
        if threads:
            con.execute(f"set threads = {threads}")
        con.execute(f"attach '{built_warehouse}' as bench_built (read_only)")
        catalog = database.stem
        started = time.perf_counter()
        seeds_s = 0.0
        for node in _order(manifest, project):
            materialized = node["config"].get("materialized")
            schema = node["schema"]
            t0, c0 = time.perf_counter(), time.process_time()
            con.execute(f'create schema if not exists "{catalog}"."{schema}"')
            if node["resource_type"] == "seed":
                con.execute(
                    f'create or replace table "{catalog}"."{schema}"."{node["alias"]}" as '
                    f'select * from bench_built."{schema}"."{node["alias"]}"'
                )
                seeds_s += time.perf_counter() - t0
                continue
            if materialized == "ephemeral":
                continue
            sql = node.get("compiled_code")
            if not sql:
                raise RuntimeError(f"{node['unique_id']} has no compiled code in the manifest")
            kind = "view" if materialized == "view" else "table"
            con.execute(f"create or replace {kind} {node['relation_name']} as {sql}")
            timings[node["name"]] = time.perf_counter() - t0
            cpu[node["name"]] = time.process_time() - c0
        models_s = time.perf_counter() - started - seeds_s
        tests_s = 0.0
        tests_run = 0
        if with_tests:
            t0 = time.perf_counter()
            for node in manifest["nodes"].values():
                if node["resource_type"] != "test" or node["package_name"] != project:
                    continue
                sql = node.get("compiled_code")
                if sql:
                    con.execute(f"select count(*) from ({sql}) as dbt_internal_test").fetchone()
                    tests_run += 1
            tests_s = time.perf_counter() - t0
        total = time.perf_counter() - started
        cpu_total = time.process_time() - cpu_started
    finally:
        con.close()
    remove_database(database)
    return {
        "wall_s": round(total, 2),
        "cpu_s": round(cpu_total, 1),
        "seeds_s": round(seeds_s, 2),
        "models_s": round(models_s, 2),
        "tests_s": round(tests_s, 2),
        "tests_run": tests_run,
        "models_run": len(timings),
        "model_s": {k: round(v, 3) for k, v in sorted(timings.items(), key=lambda kv: -kv[1])},
        "model_cpu_s": {k: round(v, 3) for k, v in sorted(cpu.items(), key=lambda kv: -kv[1])},
    }
