"""Validate a warehouse file read-only (the nightly's validation step, on demand).

    python -m scripts.validate                                  # warehouse/cx.duckdb against data/raw
    python -m scripts.validate --warehouse /path/cx.duckdb --raw-dir /path/raw --json

Checks SPEC §6 conservation per raw table (received = accepted + superseded + quarantined), that no
column holds personal data and no view the salt, lists intents missing from the intents seed, and reports
the Spearman rank correlation of effort band and survey CES. Opens the warehouse read-only, so it is safe
while BI tools are connected or a nightly runs.

The reconciliation of marts with facts and the metric bounds ([0, 1] for every *_rate) are dbt data tests
(tag:reconciliation, tag:bounds): they run in the dbt build, and the nightly's validation step reads their
results from it. A file has no build results, so here they are reported as skipped, with where their results
are (the run record of the nightly that built the file: warehouse/runs/<run id>.json, validation.checks) and
how to run them again, on a copy of the file, since dbt writes to the file it tests
(CX_WAREHOUSE=<copy> dbt test --select tag:reconciliation tag:bounds).

Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 usage error,
3 the warehouse or the raw dir cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import duckdb

from scripts.ops import contract as contract_module
from scripts.ops import validate

PROJECT_DIR = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.validate",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--warehouse",
        default=os.environ.get("CX_WAREHOUSE", "warehouse/cx.duckdb"),
        help="warehouse file (default: $CX_WAREHOUSE or warehouse/cx.duckdb)",
    )
    parser.add_argument(
        "--raw-dir",
        default=os.environ.get("CX_RAW_DIR", "data/raw"),
        help="raw landing zone it was built from (default: $CX_RAW_DIR or data/raw)",
    )
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    warehouse = Path(args.warehouse)
    if not warehouse.exists():
        print(f"validate: {warehouse} does not exist", file=sys.stderr)
        return 3
    raw_dir = args.raw_dir if "://" in args.raw_dir else str(Path(args.raw_dir).resolve())
    contract = contract_module.load(PROJECT_DIR)
    try:
        result = validate.validate(warehouse, raw_dir, contract)
    except duckdb.Error as error:
        print(f"validate: cannot read {warehouse} or {raw_dir}: {error}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        for check in result.checks:
            print(f"{check.status:5} {check.name}: {check.detail}")
        print(f"validation {result.status}: {len(result.failed)} failed of {len(result.checks)} checks")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
