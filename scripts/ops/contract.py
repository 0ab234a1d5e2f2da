"""The raw landing-zone contract of SPEC §2 (macros/cx_raw_contract.sql) as Python data.

The macro is the single source of truth. It is plain Jinja that returns a dict, so it is rendered
here with jinja2 directly (milliseconds, no dbt parse, no warehouse lock). When that fails (the
macro grew dbt-only calls), `dbt run-operation cx_print_raw_contract --quiet` against the in-memory
`lint` target is the fallback.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import jinja2

from scripts.ops import dbt

log = logging.getLogger(__name__)

MACRO_FILE = "macros/cx_raw_contract.sql"

Contract = dict[str, dict[str, Any]]


class _Returned(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__("macro returned")
        self.value = value


def _raise_return(value: Any) -> str:
    raise _Returned(value)


def render_macro(project_dir: Path, macro_file: str = MACRO_FILE, macro_name: str = "cx_raw_contract") -> Any:
    """Render a plain-Jinja macro that returns data (cx_raw_contract(), cx_platform_adapters())."""
    source = (project_dir / macro_file).read_text()
    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    env.globals["return"] = _raise_return
    module = env.from_string(source).make_module()
    try:
        getattr(module, macro_name)()
    except _Returned as returned:
        return returned.value
    raise ValueError(f"{macro_file}: {macro_name}() did not return a value")


def from_dbt(project_dir: Path, work_dir: Path) -> Contract:
    """Ask dbt for the contract (lint target: in-memory DuckDB, so no warehouse lock is taken)."""
    result = dbt.run(
        ["run-operation", "cx_print_raw_contract", "--quiet"],
        project_dir=project_dir,
        target_path=work_dir / "contract_target",
        extra_env={"CX_DBT_TARGET": "lint"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt run-operation cx_print_raw_contract failed: {result.tail()}")
    for line in reversed(result.stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError("dbt run-operation cx_print_raw_contract printed no JSON")


def load(project_dir: Path, work_dir: Path) -> Contract:
    """The contract: rendered from the macro file, or from dbt when rendering fails."""
    try:
        return render_macro(project_dir)
    except Exception as error:  # any rendering problem: ask dbt itself
        log.info("rendering %s directly failed (%s); asking dbt", MACRO_FILE, error)
        return from_dbt(project_dir, work_dir)
