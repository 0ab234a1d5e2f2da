"""The first hour works as written: every command and query of README.md and docs/analysts.md runs.

The fenced blocks of both pages, on the `make test-build` warehouse, from a shell with none of the Makefile's
environment (no DBT_PROFILES_DIR, no CX_* but the salt), as a new analyst types them after `make demo`:

- ```sql: in the DuckDB shell the project installs (.venv/bin/duckdb -readonly), each returning rows;
- ```sh / ```bash, line by line: `.venv/bin/duckdb` with the `D ` lines after it as its input; `.venv/bin/mf`
  against the test warehouse (CX_WAREHOUSE, as the page says) and the semantic manifest that `make demo`'s own
  `dbt parse` line writes; the `cx_print_customer_key` run-operation, whose key the next ```sql block looks
  up;
  `make <target …>` dry-run (`make -n`: the target and its variables exist); `.venv/bin/python -m <module>`
  with `--help`; `export` lines set up the next command. Any other command fails the test;
- ```python: run, with the warehouse path pointed at the test warehouse;
- inline `make …` and `python -m scripts.…` spans of the prose: as above.

A block that cannot run here is marked in the Markdown on the line before its fence, sparingly:
`<!-- snippet: skip (reason) -->` (not run) or `<!-- snippet: may-be-empty (reason) -->` (a query that may
return no rows on the test data).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_DIR

PAGES = ("README.md", "docs/analysts.md")
BIN = Path(sys.executable).parent
DUCKDB_SHELL = BIN / "duckdb"
MF = BIN / "mf"
DEMO_WAREHOUSE = "warehouse/cx.duckdb"
FENCE = re.compile(r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"^<!--\s*snippet:\s*(?P<kind>[\w-]+)\s*(?:\((?P<reason>[^)]*)\))?\s*-->\s*$")
MARKERS = {"skip", "may-be-empty"}
INLINE = re.compile(r"`((?:make\b|(?:\.venv/bin/)?python -m scripts\.)[^`]*)`")
KEY_PLACEHOLDER = "<the printed key>"
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")


@dataclass(frozen=True)
class Snippet:
    page: str
    line: int
    lang: str
    body: str
    marker: str | None
    reason: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}:{self.lang or 'text'}"


def snippets(page: str) -> list[Snippet]:
    text = (PROJECT_DIR / page).read_text()
    found = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.match(before)
        found.append(
            Snippet(
                page=page,
                line=line,
                lang=match["lang"],
                body=match["body"],
                marker=marker["kind"] if marker else None,
                reason=(marker["reason"] or "").strip() if marker else None,
            )
        )
    return found


ALL = [snippet for page in PAGES for snippet in snippets(page)]
SQL = [s for s in ALL if s.lang == "sql" and s.marker != "skip"]
SHELL = [s for s in ALL if s.lang in ("sh", "bash", "shell") and s.marker != "skip"]
PYTHON = [s for s in ALL if s.lang == "python" and s.marker != "skip"]
INLINE_COMMANDS = sorted(  # `make PYTHON=/path/to/python3.11 …` is a pattern, not a command
    {
        (page, span)
        for page in PAGES
        for span in INLINE.findall((PROJECT_DIR / page).read_text())
        if "…" not in span and "/path/to/" not in span
    }
)


def analyst_env(**extra: str) -> dict[str, str]:
    """A new analyst's shell: none of the Makefile's exports, no CX_* settings but the salt (the key lookup
    must use the build's), no venv on the PATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBT_", "CX_", "VIRTUAL_ENV")) or key == "CX_CUSTOMER_KEY_SALT"
    }
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env.update(extra)
    return env


def run(args: list[str], timeout: int = 300, **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("cwd", PROJECT_DIR)
    kwargs.setdefault("env", analyst_env())
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)


def command_lines(snippet: Snippet) -> list[tuple[list[str], list[str]]]:
    """(argv, the `D ` input lines that follow it) per command of a shell block; comments dropped."""
    commands: list[tuple[list[str], list[str]]] = []
    for raw in snippet.body.splitlines():
        if raw.startswith("D "):  # a line typed at the DuckDB shell's prompt
            assert commands, f"{snippet.id}: a `D ` line without a shell before it"
            commands[-1][1].append(raw[2:])
            continue
        argv = shlex.split(raw, comments=True)
        if argv:
            commands.append((argv, []))
    return commands


def split_assignments(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    env: dict[str, str] = {}
    while argv and ASSIGNMENT.match(argv[0]):
        name, value = argv[0].split("=", 1)
        env[name] = value
        argv = argv[1:]
    return env, argv


def duckdb_shell(warehouse: Path, sql: str) -> tuple[list[str], list[list[str]]]:
    """Run SQL in the project's DuckDB shell, read-only, as the README says: (header, rows) of its CSV."""
    if not DUCKDB_SHELL.exists():
        pytest.fail(f"{DUCKDB_SHELL} is missing: duckdb-cli is a pinned dependency (pyproject.toml)")
    result = run([str(DUCKDB_SHELL), "-readonly", "-csv", str(warehouse)], input=sql, timeout=120)
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr[-2000:]
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table, f"no result set:\n{result.stdout}"
    return table[0], table[1:]


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def customer_with_journeys(test_raw_dir: Path) -> str:
    """The CRM id with the most contacts in the test data (CUST00000042, the page's example, has none in the
    small test dataset)."""
    raw = duckdb.connect()
    try:
        (customer_id,) = raw.execute(
            "select trim(customer_id) from read_parquet(?, union_by_name = true) "
            "where trim(customer_id) like 'CUST%' group by 1 order by count(*) desc, 1 limit 1",
            [str(test_raw_dir / "contacts" / "**" / "*.parquet")],
        ).fetchone()
    finally:
        raw.close()
    return customer_id


@pytest.fixture(scope="module")
def printed_key(customer_with_journeys: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The key docs/analysts.md's run-operation prints, for a customer of the test data."""
    (snippet,) = [s for s in SHELL if "cx_print_customer_key" in s.body]
    ((argv, _),) = command_lines(snippet)
    extra, argv = split_assignments(argv)
    assert argv[:3] == [".venv/bin/dbt", "run-operation", "cx_print_customer_key"], argv
    argv = [a.replace("CUST00000042", customer_with_journeys) for a in argv]
    target = tmp_path_factory.mktemp("run_operation")
    env = analyst_env(**extra, DBT_TARGET_PATH=str(target), DBT_LOG_PATH=str(target / "logs"))
    result = run([str(PROJECT_DIR / argv[0]), *argv[1:]], env=env)
    assert result.returncode == 0, f"{snippet.id}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    key = result.stdout.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"[0-9a-f]{32}", key), result.stdout
    return key


@pytest.fixture(scope="module")
def demo_semantic_manifest() -> Path:
    """Run the line of `make demo` that leaves target/semantic_manifest.json (mf reads only that path), after
    checking `make -n demo` runs it after the nightly build and without moving dbt's target path."""
    result = run(["make", "-n", "demo"], timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    nightly = next(i for i, line in enumerate(lines) if "scripts.nightly" in line)
    parse = [i for i, line in enumerate(lines) if re.search(r"bin/dbt parse\b", line)]
    assert parse and parse[-1] > nightly, "make demo must run `dbt parse` after the nightly (for mf)"
    line = lines[parse[-1]]
    assert "DBT_TARGET_PATH" not in line, line
    manifest = PROJECT_DIR / "target" / "semantic_manifest.json"
    started = time.time()
    env = analyst_env(DBT_PROFILES_DIR=str(PROJECT_DIR))  # the Makefile exports it
    parsed = run(["bash", "-c", line], env=env)
    assert parsed.returncode == 0, parsed.stdout[-2000:] + parsed.stderr[-2000:]
    assert manifest.exists() and manifest.stat().st_mtime >= started - 1, f"{line} did not write {manifest}"
    return manifest


# ---- the pages' blocks --------------------------------------------------------------------------------


def test_markers_are_known_and_give_a_reason() -> None:
    assert SQL and SHELL and PYTHON
    for snippet in ALL:
        if snippet.marker is not None:
            assert snippet.marker in MARKERS, f"{snippet.id}: unknown marker {snippet.marker!r}"
            assert snippet.reason, (
                f"{snippet.id}: say why in the marker: <!-- snippet: {snippet.marker} (why) -->"
            )


def test_the_readmes_first_query_says_how_to_open_the_warehouse() -> None:
    first = next(s for s in SQL if s.page == "README.md")
    assert f".venv/bin/duckdb -readonly {DEMO_WAREHOUSE}" in first.body


@pytest.mark.parametrize("snippet", SQL, ids=lambda s: s.id)
def test_sql_runs_in_the_duckdb_shell(snippet: Snippet, test_warehouse: Path, request) -> None:
    sql = snippet.body
    if KEY_PLACEHOLDER in sql:
        sql = sql.replace(KEY_PLACEHOLDER, request.getfixturevalue("printed_key"))
    header, rows = duckdb_shell(test_warehouse, sql)
    assert header, snippet.id
    if snippet.marker != "may-be-empty":
        assert rows, f"{snippet.id} returned no rows"


@pytest.mark.parametrize("snippet", SHELL, ids=lambda s: s.id)
def test_shell_commands_run(snippet: Snippet, test_warehouse: Path, request) -> None:
    for argv, typed in command_lines(snippet):
        extra, argv = split_assignments(argv)
        program = argv[0]
        where = f"{snippet.id}: {shlex.join(argv)}"
        if program == "export":
            continue  # sets up the commands after it (placeholders such as /data/... are the reader's)
        if program == "make":
            check_make(argv, where)
        elif program == ".venv/bin/duckdb":
            assert argv[1:] == ["-readonly", DEMO_WAREHOUSE], where
            result = run([str(DUCKDB_SHELL), "-readonly", str(test_warehouse)], input="\n".join(typed) + "\n")
            assert result.returncode == 0 and "Error" not in result.stderr, f"{where}\n{result.stderr}"
            assert result.stdout.strip(), f"{where}: no output"
        elif program == ".venv/bin/mf":
            request.getfixturevalue("demo_semantic_manifest")
            env = analyst_env(**extra, CX_WAREHOUSE=str(test_warehouse))
            result = run([str(MF), *argv[1:]], env=env)
            output = result.stdout + result.stderr
            assert result.returncode == 0 and "ERROR" not in output, f"{where}\n{output[-3000:]}"
            if argv[1] == "query":
                metrics = argv[argv.index("--metrics") + 1].split(",")
                assert all(metric in result.stdout for metric in metrics), f"{where}\n{result.stdout}"
        elif program == ".venv/bin/dbt" and "cx_print_customer_key" in argv:
            request.getfixturevalue("printed_key")
        elif program == ".venv/bin/python" and argv[1:2] == ["-m"]:
            check_module_help(argv[2], where)
        else:
            pytest.fail(f"{where}: not a command this test knows; run it here or mark the block skip")


@pytest.mark.parametrize("snippet", PYTHON, ids=lambda s: s.id)
def test_python_runs(snippet: Snippet, test_warehouse: Path) -> None:
    assert DEMO_WAREHOUSE in snippet.body, snippet.id
    code = snippet.body.replace(DEMO_WAREHOUSE, str(test_warehouse))
    result = run([sys.executable, "-c", code])
    assert result.returncode == 0, f"{snippet.id}\n{result.stderr[-2000:]}"


@pytest.mark.parametrize(("page", "span"), INLINE_COMMANDS, ids=lambda v: str(v))
def test_inline_commands_exist(page: str, span: str) -> None:
    argv = shlex.split(span)
    if argv[0] == "make":
        check_make(argv, f"{page}: {span}")
    else:
        module = argv[argv.index("-m") + 1]
        check_module_help(module, f"{page}: {span}")


def check_make(argv: list[str], where: str) -> None:
    """The target exists and the Makefile accepts the variables (a dry run: nothing is built)."""
    result = run(["make", "-n", *argv[1:]], timeout=60)
    assert result.returncode == 0, f"{where}\n{result.stderr[-2000:]}"


def check_module_help(module: str, where: str) -> None:
    assert module.startswith("scripts."), where
    result = run([sys.executable, "-m", module, "--help"], timeout=120)
    assert result.returncode == 0 and "usage" in result.stdout.lower(), f"{where}\n{result.stderr[-2000:]}"
