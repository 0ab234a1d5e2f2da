"""scripts/bench/alternate.py: how versions are found, what it needs first, and the medians it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.bench import alternate, procmon


def _night(wall: float, build: float, models: dict[str, float], tests: float) -> dict:
    figures = {
        "wall_s": wall,
        "build_s": build,
        "model_thread_s": sum(models.values()),
        "test_thread_s": tests,
    }
    return {**figures, "models": models}


def test_render_reports_medians_and_lists_the_largest_model_differences_first() -> None:
    runs = [
        {"side": "old", "night": _night(60.0, 50.0, {"slow": 4.0, "same": 1.0}, 0.5)},
        {"side": "new", "night": _night(55.0, 45.0, {"slow": 1.0, "same": 1.1}, 9.0)},
        {"side": "new", "night": _night(57.0, 47.0, {"slow": 2.0, "same": 0.9}, 9.0)},
        {"side": "old", "night": _night(64.0, 54.0, {"slow": 6.0, "same": 1.0}, 0.5)},
    ]
    text = alternate.render(runs, "night", top=5)
    lines = text.splitlines()
    assert lines[0] == "### one-day nights (2 per version)"
    assert "| old | 62.00 | 52.00 | 6.00 | 0.50 |" in lines  # medians of 60/64, 50/54, 5+1/7+1 thread-s
    assert "| new | 56.00 | 46.00 | 2.50 | 9.00 |" in lines
    rows = [line for line in lines if line.startswith("| ") and "|---" not in line]
    models = [row.split(" | ")[0].lstrip("| ") for row in rows]
    # largest |new - old| first: slow 5.0 -> 1.5, same 1.0 -> 1.0
    assert models[-2:] == ["slow", "same"]
    assert "| slow | 5.00 | 1.50 | -3.50 |" in lines


def test_render_is_empty_for_a_kind_of_night_that_did_not_run() -> None:
    runs = [{"side": "old", "night": _night(1, 1, {}, 0)}, {"side": "new", "night": _night(1, 1, {}, 0)}]
    assert alternate.render(runs, "noop", top=5) == ""


def test_a_project_directory_is_taken_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    assert alternate.resolve_tree(str(tmp_path), tmp_path / "work") == tmp_path.resolve()


def test_neither_a_directory_nor_a_revision_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(alternate.AlternateError, match="neither a dbt project directory nor a revision"):
        alternate.resolve_tree("no-such-revision-0000", tmp_path)


def test_without_the_benchmark_data_it_says_which_command_makes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert alternate.main(["--old", "HEAD", "--scale", "S", "--work-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "no benchmark data for scale S" in error
    assert "python -m scripts.benchmark --scales S --reuse-data --phases full" in error


def test_a_night_lists_models_alone_and_sums_thread_seconds_per_kind() -> None:
    results = {
        "results": [
            {"unique_id": "model.cx_outcomes.int_x", "execution_time": 1.5, "status": "success"},
            {"unique_id": "model.cx_outcomes.int_y", "execution_time": 0.5, "status": "success"},
            {"unique_id": "test.cx_outcomes.unique_x.abc", "execution_time": 0.25, "status": "pass"},
        ]
    }
    measure = procmon.Measure(
        command=["x"], returncode=0, wall_s=3.0, peak_tree_rss_bytes=0, peak_process_rss_bytes=0
    )
    night = alternate.night_summary(measure, {"steps": {"build": 2.5}}, results)
    assert night["models"] == {"int_x": 1.5, "int_y": 0.5}  # a data test is not a model
    assert (night["model_thread_s"], night["test_thread_s"], night["build_s"]) == (2.0, 0.25, 2.5)
    assert alternate.night_summary(measure, {}, None)["models"] == {}


class _Bench:
    """What create_views uses of a benchmark.Bench: the nightly's environment and live file, the log."""

    def __init__(self, root: Path) -> None:
        self.live = root / "nightly" / "cx.duckdb"
        self.log_file = root / "bench.log"

    def nightly_cmd(self) -> tuple[list[str], dict[str, str], Path]:
        return ["nightly"], {"CX_WAREHOUSE": "elsewhere", "CX_RAW_DIR": "raw"}, self.live


def test_each_version_creates_its_own_views_on_the_adopted_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def fake_run(command: list[str], env: dict[str, str], cwd: Path, log_file: Path) -> procmon.Measure:
        calls.append((command, env, cwd))
        return procmon.Measure(command, 0, 1.0, 0, None)

    monkeypatch.setattr(alternate.procmon, "run", fake_run)
    args = alternate.parse_args(["--old", "HEAD", "--work-dir", str(tmp_path)])
    tree = tmp_path / "tree_old"
    alternate.create_views(_Bench(tmp_path), tree, "old", args)
    [(command, env, cwd)] = calls
    assert command[1:] == ["run", "--select", "config.materialized:view", "--project-dir", str(tree)]
    assert cwd == tree
    assert env["CX_WAREHOUSE"] == str(
        tmp_path / "nightly" / "cx.duckdb"
    )  # the adopted copy, not the published file
    assert env["DBT_TARGET_PATH"] == str(
        tmp_path / "alternate" / "views_old"
    )  # the nightly's parse cache untouched
    assert env["CX_RAW_DIR"] == "raw"


def test_a_version_whose_views_fail_stops_with_the_log_to_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        alternate.procmon,
        "run",
        lambda command, **_: procmon.Measure(command, 2, 1.0, 0, None, stdout_tail="boom"),
    )
    args = alternate.parse_args(["--old", "HEAD", "--work-dir", str(tmp_path)])
    with pytest.raises(
        alternate.AlternateError, match=r"creating the new version's views failed .*bench\.log"
    ):
        alternate.create_views(_Bench(tmp_path), tmp_path / "tree", "new", args)
