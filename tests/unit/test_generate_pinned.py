"""Pins the generator's output for small fixed seeds: a digest of the data it writes.

A refactor of ``scripts.simulation`` (or of ``scripts.generate_data``) must leave the data of a seed
unchanged: every random draw in the same order with the same arguments. The digest covers row
content, not file bytes (a new pyarrow may write the same rows with other bytes): every Parquet
file's column names, types and rows in order, every Connect record file's decompressed lines, and
the JSON side files (the manifest without its byte counts).

When a change of the data is intended, document it (commit message, and the changelog if the
change is visible to users of the data), then update the constants: run
``.venv/bin/python -m tests.unit.test_generate_pinned`` and paste the digests it prints.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scripts.generate_data import main

# name -> generator arguments (each run takes about a second)
RUNS = {
    "landing_zone_bad_rows": [
        "--seed", "7", "--customers", "3000", "--start-date", "2025-01-01", "--days", "20",
        "--bad-rows",
    ],
    "amazon_connect_bad_rows": [
        "--seed", "5", "--customers", "3000", "--start-date", "2025-03-01", "--days", "20",
        "--format", "amazon_connect", "--bad-rows",
    ],
    "zendesk_bad_rows": [
        "--seed", "5", "--customers", "2000", "--start-date", "2025-03-01", "--days", "20",
        "--format", "zendesk", "--bad-rows",
    ],
}  # fmt: skip
# recorded from the generator before the refactor of issue #23 (item 5); see the docstring
EXPECTED = {
    "landing_zone_bad_rows": "019e8d079cf4bd9aafdce0c67064793fd361d5ef8d2a358ebcf2590940ee88b0",
    "amazon_connect_bad_rows": "696eed7f8a53b432d07bd9175a67497b75f0319589005b2a1a318f83f971a8ce",
    # recorded when --format zendesk was added (issue #19)
    "zendesk_bad_rows": "2bf458ccded3eaeb8bfdb8f0654f0f08a47e6a0f6fb9aa8ed69bc9af96770b40",
}


def without_bytes(value: object) -> object:
    """The manifest without its ``bytes`` counts, which depend on the Parquet writer."""
    if isinstance(value, dict):
        return {k: without_bytes(v) for k, v in value.items() if k != "bytes"}
    if isinstance(value, list):
        return [without_bytes(v) for v in value]
    return value


def digest(root: Path) -> str:
    """sha256 over every file under ``root``: its path, then its content as data."""
    sha = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha.update(f"\n## {path.relative_to(root).as_posix()}\n".encode())
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            sha.update(repr([(f.name, str(f.type)) for f in table.schema]).encode())
            for row in table.to_pylist():
                sha.update(repr(list(row.values())).encode() + b"\n")
        elif path.name.endswith(".json.gz"):
            sha.update(gzip.decompress(path.read_bytes()))
        elif path.suffix == ".json":
            sha.update(json.dumps(without_bytes(json.loads(path.read_text())), sort_keys=True).encode())
        else:
            sha.update(path.read_bytes())
    return sha.hexdigest()


def generated_digest(name: str, out: Path) -> str:
    assert main([*RUNS[name], "--out", str(out), "--quiet"]) == 0
    return digest(out)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_output_of_a_seed_is_pinned(name, tmp_path):
    assert generated_digest(name, tmp_path) == EXPECTED[name], (
        f"the generator's output for {name} changed; if intended, see this module's docstring"
    )


if __name__ == "__main__":  # prints the digests to paste into EXPECTED
    for run in sorted(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            print(f'    "{run}": "{generated_digest(run, Path(tmp))}",')
