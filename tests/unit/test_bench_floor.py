"""The benchmark's floors (scripts/bench/floor.py) and how the report renders them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from scripts.bench import floor, report


def _warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema staging")
        con.execute("create table staging.events as select range as id, 'x' || range as v from range(5000)")
        con.execute("create schema core")
        con.execute("create table core.facts as select range as id from range(300)")
    finally:
        con.close()


def test_write_floor_copies_every_table_and_leaves_nothing_behind(tmp_path: Path) -> None:
    built = tmp_path / "cx.duckdb"
    _warehouse(built)
    out = tmp_path / "write_floor.duckdb"

    result = floor.run_write(built, out, tmp_path / "spill", memory_limit="1GB")

    assert result["tables"] == 2
    assert result["rows"] == 5300
    assert set(result["top_table_s"]) == {"staging.events", "core.facts"}
    assert result["wall_s"] >= 0 and result["cpu_s"] >= 0
    assert not out.exists() and not Path(f"{out}.wal").exists()
    # the built warehouse is only read
    con = duckdb.connect(str(built), read_only=True)
    try:
        assert con.execute("select count(*) from staging.events").fetchone() == (5000,)
    finally:
        con.close()


def test_read_floor_reads_every_raw_table(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    for table, rows in (("contacts", 40), ("orders", 7)):
        folder = raw / table / "load_date=2025-01-01"
        folder.mkdir(parents=True)
        pd.DataFrame({"id": range(rows)}).to_parquet(folder / "part-0000.parquet")

    result = floor.run(raw, ["contacts", "orders"], tmp_path / "spill", memory_limit="1GB")

    assert set(result["table_s"]) == {"contacts", "orders"}


def test_report_shows_the_write_floor_and_the_ratio_against_both_floors() -> None:
    scale = {
        "customers": 10,
        "raw": {"contacts": {"rows": 100, "files": 1, "mb": 1.0}},
        "full": {"command": "build --full-refresh", "wall_s": 90.0, "runs": [], "peak_tree_rss_gib": 1.0},
        "floor": {
            "wall_s": 10.0,
            "table_s": {"contacts": 10.0},
            "runs_wall_s": [10.0],
            "write": {
                "wall_s": 20.0,
                "cpu_s": 35.0,
                "tables": 2,
                "rows": 5300,
                "top_table_s": {"staging.events": 15.0, "core.facts": 5.0},
                "runs_wall_s": [20.0],
            },
        },
        "build_to_floor_ratio": 9.0,
        "build_to_read_write_floor_ratio": 3.0,
    }

    growth = "\n".join(report.growth_table({"scales": {"L": scale}}))
    targets = "\n".join(report.targets_table({"scales": {"L": scale}}))

    assert "| 20.0 | 3.00 |" in growth
    assert "| full refresh / (read floor + write floor) | ≤ 2.1 | 3.00 | NO |" in targets
    assert "| persisted rows of a full build | ≤ 100 M | 0.0 M | yes |" in targets
    # phases left out of the run (replay, nightly) are not measured, not failed
    assert "| full refresh, s | report" in targets and "| 90.0 | — |" in targets
    assert "| nightly one-day run / full refresh | ≤ 15% | — | — |" in targets
    assert "| night after one edited mart / full refresh | ≤ 25% | — | — |" in targets
    without_full = {k: v for k, v in scale.items() if k != "full"} | {"days": 365}
    section = "\n".join(report.scale_section("L", without_full))
    assert "Write floor (every table of the full build, 2 tables, 5,300 rows" in section
    assert "staging.events 15.0" in section and "(read floor + write floor) **3.00**" in section
    header, divider = growth.splitlines()[:2]
    assert header.count("|") == divider.count("|") == growth.splitlines()[2].count("|")


def test_combined_results_recompute_every_ratio_from_the_phases_they_keep() -> None:
    night = {
        "generated_at": "night",
        "scales": {
            "L": {
                "full": {"wall_s": 700.0},
                "replay": {"wall_s": 800.0},
                "floor": {"wall_s": 40.0},
                "nightly": {"wall_s": 210.0},
                "build_to_floor_ratio": 17.5,
                "nightly_ratio": 0.3,
                "dbt_overhead_ratio": 0.88,
            }
        },
    }
    morning = {
        "generated_at": "morning",
        "scales": {
            "L": {
                "full": {"wall_s": 600.0},
                "floor": {"wall_s": 50.0, "write": {"wall_s": 250.0}},
                "build_to_floor_ratio": 12.0,
                "build_to_read_write_floor_ratio": 2.0,
                "nightly_ratio": None,
                "dbt_overhead_ratio": None,
            }
        },
    }

    scale = report.combine([night, morning])["scales"]["L"]

    assert scale["full"]["wall_s"] == 600.0 and scale["nightly"]["wall_s"] == 210.0
    assert scale["nightly_ratio"] == 0.35
    assert scale["dbt_overhead_ratio"] == 0.75
    assert scale["build_to_floor_ratio"] == 12.0
    assert scale["build_to_read_write_floor_ratio"] == 2.0
    assert scale["sources"] == ["night", "morning"]
    assert report.ratios({"nightly": {"wall_s": 1.0}}) == dict.fromkeys(report.RATIOS)


def test_nightly_ratio_against_the_nightlys_own_full_refresh():
    nightly = {"nightly": {"wall_s": 30.0, "full_refresh": {"wall_s": 300.0}}}
    assert report.ratios(nightly)["nightly_ratio_vs_nightly_full"] == 0.1
    assert report.ratios(nightly)["nightly_ratio"] is None  # no full-refresh phase in this result
