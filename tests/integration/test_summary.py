"""`make demo` ends with scripts.summary: on a real build every section has figures, none says "not built",
and the figures agree with the core facts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.summary import build_summary, main


def test_every_section_has_figures(warehouse_conn):
    summary = dict(build_summary(warehouse_conn))
    assert len(summary) == 8
    for title, rows in summary.items():
        assert rows, title
        assert all(label != "(not built)" for label, _ in rows), title


def test_fcr_matches_the_journey_facts(warehouse_conn):
    rows = dict(dict(build_summary(warehouse_conn))["Resolution (matured journeys)"])
    fcr = warehouse_conn.execute(
        "select avg(is_fcr::int) from core.fct_journeys where is_matured and is_identified"
    ).fetchone()[0]
    assert rows["FCR rate"] == f"{fcr * 100:.1f}%"


def test_cli_prints_and_fails_clearly(test_warehouse: Path, tmp_path: Path, capsys):
    assert main(["--warehouse", str(test_warehouse)]) == 0
    assert "FCR rate" in capsys.readouterr().out
    assert main(["--warehouse", str(tmp_path / "nope.duckdb")]) == 2
    assert "run `make demo` first" in capsys.readouterr().err
    help_text = subprocess.run(
        [sys.executable, "-m", "scripts.summary", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--warehouse" in help_text
