"""The benchmark report's Spark figures (scripts.benchmark --engine spark, issue #21): ratios against DuckDB's
full refresh, the scale's Spark paragraph and the summary line, from a result as the benchmark writes it; and
what a night's steps line says."""

from __future__ import annotations

from scripts.bench import report


def _run(wall_s: float) -> dict:
    return {
        "wall_s": wall_s,
        "peak_tree_rss_gib": 1.0,
        "load_1m": {"mean": 2.0, "max": 2.5, "steal_pct": 0.0},
    }


def _scale(spark: bool) -> dict:
    result = {
        "scale": "S",
        "customers": 10,
        "days": 2,
        "note": "test",
        "raw": {"contacts": {"rows": 100, "files": 2, "mb": 0.1}},
        "generate": {"wall_s": 1.0},
        "full": {
            "command": "build --full-refresh",
            "runs": [_run(40.0) | {"run": 1, "spans": {}, "top_models": []}],
            "wall_s": 40.0,
            "peak_tree_rss_gib": 1.0,
            "median_run": 1,
        },
    }
    if spark:
        result["spark"] = {
            "command": "build --full-refresh --exclude-resource-type unit_test",
            "master": "local[2]",
            "landing": _run(20.0),
            "full": _run(200.0)
            | {"spans": {"model": {"span_s": 150.0}}, "top_models": [], "failed_tests": []},
            "wall_s": 200.0,
        }
    return result | report.ratios(result)


def test_spark_ratios_section_and_summary() -> None:
    result = _scale(spark=True)
    assert result["spark_to_duckdb_ratio"] == 5.0
    assert result["spark_with_landing_to_duckdb_ratio"] == 5.5
    section = "\n".join(report.scale_section("S", result))
    assert "Spark / DuckDB full refresh **5.00** (with the landing step 5.50)" in section
    assert "spark full 200.0 s (x5.00), landing 20.0 s" in report.summary({"scales": {"S": result}})


def test_without_spark_nothing_changes() -> None:
    result = _scale(spark=False)
    assert result["spark_to_duckdb_ratio"] is None
    assert "Spark" not in "\n".join(report.scale_section("S", result))
    assert "spark" not in report.summary({"scales": {"S": result}})


def test_night_steps_say_how_much_of_dbts_start_up_ran_before_the_build_step() -> None:
    run = {"steps": {"candidate": 3.9, "build": 35.0}, "candidate": "copied"}
    assert report.nightly_steps_text(run) == "candidate 3.9, build 35.0 (candidate copied)"
    copied = run | {"candidate_copy_s": 3.25}
    assert report.nightly_steps_text(copied) == "candidate 3.9, build 35.0 (candidate copied in 3.2 s)"
    started = run | {"build_start": {"started_before_gate_s": 5.5, "waited_at_gate_s": 1.25}}
    assert report.nightly_steps_text(started).endswith("; 4.2 s of dbt's start-up ran before the build step")
