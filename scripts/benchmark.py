"""Benchmark the warehouse build at three scales and write a report (markdown + JSON).

    python -m scripts.benchmark --scales S,M          # ~75 k and ~750 k contacts
    python -m scripts.benchmark --scales L --reuse-data
    python -m scripts.benchmark --scales S --phases full --engine spark   # DuckDB and Spark, full refresh

Per scale (S ≈ 75 k contacts, M ≈ 750 k, L ≈ 7.5 M = a 500-seat contact centre's year; 365 days):
  generate   scripts.generate_data with 365 + 1 days (the extra day is the nightly's new day), timed
  full       `dbt build --full-refresh --exclude-resource-type unit_test` on a fresh warehouse file (what the
             nightly runs), wall time and peak RSS of the dbt process tree; repeated (median) when short
  replay     the same compiled SQL executed directly in one DuckDB session: dbt overhead = full / replay
  floor      every raw Parquet file read once, all columns: build-to-floor = full / floor; then, when the
             full build's warehouse exists, the write floor: every table of it copied once into a new file
             (a build that persists those tables cannot beat writing them once)
  nightly    `scripts.nightly --full-refresh`, then one new day appended, then `scripts.nightly`
             (incremental); nightly ratio = incremental / full refresh. Without scripts/nightly.py:
             `dbt build` without --full-refresh on the full-refresh warehouse.
  spark      with --engine spark, beside DuckDB's phases (docs/scale-out.md): `scripts.spark_landing` (the
             raw tables registered for Spark), then the same `dbt build --full-refresh --exclude-resource-type
             unit_test` on the Spark target (dbt-spark's session method: a local Spark, local[--threads], in
             the dbt process; the JVM is in the measured process tree); Spark / DuckDB = Spark's build /
             DuckDB's full refresh, and (landing + build) / DuckDB's full refresh.
Load average is sampled throughout (the machine may be shared: read the figures with it).

Results: <out>/<UTC stamp>_<scales>.{json,md}. `--combine A.json B.json ...` renders one report from
earlier results (the latest result per scale), e.g. S and M from one run and L from another.
Raw data and warehouses live under --work-dir (default /tmp/cx_bench), never in the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

import psutil

from scripts import nightly
from scripts.bench import data, floor, procmon, replay, report
from scripts.ops import dbt, warehouse

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHORT_S = 90.0  # a phase shorter than this is repeated (up to --max-runs) and its median reported
EDITED_MART = "mart_first_contact_resolution"  # the mart the edited-project night changes (a comment)


def log(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[bench {stamp} load {procmon.loadavg()[0]:.1f}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.benchmark",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scales", default="S,M", help="comma-separated subset of S,M,L (default S,M)")
    parser.add_argument("--customers", type=int, help="custom scale X: customers (with --days)")
    parser.add_argument("--days", type=int, default=365, help="custom scale X: days of history (default 365)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/cx_bench"), help="data and warehouses")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks" / "results", help="report dir")
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR, help="dbt project to benchmark")
    parser.add_argument(
        "--reuse-data", action="store_true", help="reuse a generated dataset of the same shape"
    )
    parser.add_argument(
        "--phases",
        default="full,replay,floor,nightly",
        help="subset of full,replay,floor,nightly (with --engine spark, `spark` alone: only Spark's phase)",
    )
    parser.add_argument(
        "--runs", type=int, help="runs per phase (default: 1, or up to --max-runs when short)"
    )
    parser.add_argument("--max-runs", type=int, default=3, help="runs of a short phase (default 3)")
    parser.add_argument(
        "--memory-limit", default=os.environ.get("CX_MEMORY_LIMIT", "6GB"), help="CX_MEMORY_LIMIT"
    )
    parser.add_argument(
        "--threads", default=os.environ.get("CX_THREADS", "2"), help="CX_THREADS (dbt threads)"
    )
    parser.add_argument(
        "--append-mode",
        choices=("partition", "generator"),
        default="partition",
        help="how the nightly's day arrives: link the pre-generated day N+1 (default) or run --append-day",
    )
    parser.add_argument(
        "--full-via-nightly",
        action="store_true",
        help="measure the full refresh inside scripts.nightly --full-refresh (one full build, not two: L)",
    )
    parser.add_argument(
        "--nightly-adopt",
        action="store_true",
        help="start the nightly from the full-refresh warehouse instead of its own --full-refresh (L)",
    )
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="spark: also the Spark full refresh, beside DuckDB's phases (Java 17: make spark-deps)",
    )
    parser.add_argument(
        "--spark-memory",
        default=os.environ.get("CX_SPARK_MEMORY", "4g"),
        help="CX_SPARK_MEMORY (--engine spark)",
    )
    parser.add_argument("--label", default="", help="free text stored with the results (e.g. 'before fix 2')")
    parser.add_argument("--combine", nargs="+", type=Path, help="render one report from earlier result JSONs")
    return parser.parse_args(argv)


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu,
        "kernel": platform.release(),
    }


def versions() -> dict:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {
        "python": platform.python_version(),
        "dbt-core": version("dbt-core"),
        "dbt-duckdb": version("dbt-duckdb"),
        "duckdb": version("duckdb"),
        "dbt-spark": version("dbt-spark"),
        "pyspark": version("pyspark"),
    }


def node_spans(run_results: dict) -> dict:
    """Wall span and summed execution time per resource type, from run_results.json."""
    spans: dict[str, dict] = {}
    for result in run_results.get("results", []):
        kind = result["unique_id"].split(".", 1)[0]
        times = [t for t in result.get("timing", []) if t.get("started_at") and t.get("completed_at")]
        entry = spans.setdefault(kind, {"count": 0, "sum_s": 0.0, "start": None, "end": None})
        entry["count"] += 1
        entry["sum_s"] += result.get("execution_time") or 0.0
        for t in times:
            start = dt.datetime.fromisoformat(t["started_at"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(t["completed_at"].replace("Z", "+00:00"))
            entry["start"] = start if entry["start"] is None else min(entry["start"], start)
            entry["end"] = end if entry["end"] is None else max(entry["end"], end)
    out = {}
    for kind, e in spans.items():
        span = (e["end"] - e["start"]).total_seconds() if e["start"] and e["end"] else None
        out[kind] = {
            "count": e["count"],
            "sum_s": round(e["sum_s"], 2),
            "span_s": None if span is None else round(span, 2),
        }
    return out


def top_nodes(run_results: dict, kind: str = "model", n: int = 10) -> list[dict]:
    rows = [
        {
            "name": r["unique_id"].split(".")[-1],
            "s": round(r.get("execution_time") or 0.0, 2),
            "status": r["status"],
        }
        for r in run_results.get("results", [])
        if r["unique_id"].startswith(kind + ".")
    ]
    return sorted(rows, key=lambda r: -r["s"])[:n]


def repeated(phase: str, args: argparse.Namespace, once, max_runs: int | None = None) -> list:
    """Run `once()` args.runs times, or once more (up to max-runs) while a run is short."""
    results = []
    limit = max_runs or args.runs or args.max_runs
    while len(results) < limit:
        result = once(len(results))
        results.append(result)
        wall = result["wall_s"] if isinstance(result, dict) else result.wall_s
        if args.runs is None and wall >= SHORT_S:
            break
    log(
        f"{phase}: {len(results)} run(s): "
        + ", ".join(f"{(r['wall_s'] if isinstance(r, dict) else r.wall_s):.1f}s" for r in results)
    )
    return results


# resources a build must have built; tests may fail (reported), exposures are only listed (status no-op)
BUILT_RESOURCES = ("model", "seed", "snapshot")


def failed_tests(run_results: dict) -> list[str]:
    return [
        r["unique_id"].split(".")[2]
        for r in run_results.get("results", [])
        if r["unique_id"].startswith("test.") and r["status"] in ("fail", "error")
    ]


def check_build(measure: procmon.Measure, run_results_path: Path) -> dict:
    """run_results of a finished dbt build; raise unless every model and seed built (failing tests are kept:
    they do not change what was timed, and the report lists them)."""
    try:
        results = json.loads(run_results_path.read_text())
    except (OSError, ValueError) as error:
        raise RuntimeError(f"dbt failed (exit {measure.returncode}):\n{measure.stdout_tail}") from error
    broken = [
        r["unique_id"]
        for r in results.get("results", [])
        if r["unique_id"].split(".")[0] in BUILT_RESOURCES and r["status"] not in ("success", "pass")
    ]
    if broken or (measure.returncode != 0 and not failed_tests(results)):
        raise RuntimeError(f"dbt failed (exit {measure.returncode}): {broken[:5]}\n{measure.stdout_tail}")
    return results


def median_run(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["wall_s"])
    return ordered[(len(ordered) - 1) // 2]


class Bench:
    def __init__(self, args: argparse.Namespace, scale: data.Scale) -> None:
        self.args = args
        self.scale = scale
        self.root = args.work_dir / scale.name
        self.project = args.project_dir.resolve()
        self.raw = self.root / "raw"
        self.log_file = self.root / "bench.log"
        self.target_full = self.root / "target_full"
        self.warehouse_full = self.root / "full" / "cx.duckdb"
        self.cache: dict = {}

    def env(self, **extra: str) -> dict[str, str]:
        return dbt.environment(
            profiles_dir=self.project,
            raw_dir=self.raw,
            warehouse=self.warehouse_full,
            target_path=self.target_full,
            log_path=self.root / "logs",
            extra={"CX_MEMORY_LIMIT": self.args.memory_limit, "CX_THREADS": str(self.args.threads), **extra},
        )

    # ---- data ----------------------------------------------------------------------------------
    def prepare(self) -> dict:
        self.root.mkdir(parents=True, exist_ok=True)
        result: dict = {}
        if self.args.append_mode == "generator":
            log(
                f"{self.scale.name}: generating {self.scale.customers:,} customers x {self.scale.days} days "
                "(generator mode)"
            )
            data.remove(self.raw)
            result["generate"] = data.prepare_generator_raw(
                self.scale, self.raw, self.project, self.env(), self.log_file
            )
        else:
            log(f"{self.scale.name}: dataset {self.scale.customers:,} customers x {self.scale.days}+1 days")
            result["generate"] = data.ensure_source(
                self.scale, self.root, self.project, self.env(), self.args.reuse_data, self.log_file
            )
            source = self.root / "source"
            dates = data.load_dates(source)
            data.link_raw(source, self.raw, dates[:-1])
        result["raw"] = data.raw_summary(self.raw)
        contacts = result["raw"].get("contacts", {}).get("rows")
        log(
            f"{self.scale.name}: raw ready, {contacts:,} contact rows "
            f"(generator {result['generate'].get('wall_s')} s)"
        )
        return result

    # ---- full refresh --------------------------------------------------------------------------
    def full_refresh(self) -> dict:
        procmon.run(
            [dbt.executable(), "parse", "--quiet"], env=self.env(), cwd=self.project, log_file=self.log_file
        )
        command = [dbt.executable(), "build", "--full-refresh", "--exclude-resource-type", "unit_test"]

        def once(i: int) -> dict:
            data.remove_database(self.warehouse_full)
            self.warehouse_full.parent.mkdir(parents=True, exist_ok=True)
            log(f"{self.scale.name}: full refresh run {i + 1}")
            self.cache["full_started_epoch"] = time.time()
            m = procmon.run(command, env=self.env(), cwd=self.project, log_file=self.log_file)
            results = check_build(m, self.target_full / "run_results.json")
            shutil.copy(self.target_full / "run_results.json", self.root / f"run_results_full_{i + 1}.json")
            return m.as_dict() | {
                "spans": node_spans(results),
                "top_models": top_nodes(results),
                "run": i + 1,
                "failed_tests": failed_tests(results),
            }

        runs = repeated(f"{self.scale.name} full refresh", self.args, once)
        med = median_run(runs)
        return {
            "command": " ".join(command[1:]),
            "runs": runs,
            "wall_s": med["wall_s"],
            "peak_tree_rss_gib": max(r["peak_tree_rss_gib"] for r in runs),
            "peak_process_rss_gib": max((r["peak_process_rss_gib"] or 0) for r in runs),
            "median_run": med["run"],
        }

    # ---- Spark ---------------------------------------------------------------------------------
    def spark(self) -> dict:
        """--engine spark: the raw tables registered for Spark, then the Spark target's full refresh (the same
        dbt command as DuckDB's), on a new Spark warehouse."""
        spark_dir = self.root / "spark"
        warehouse_dir = spark_dir / "warehouse"
        target = spark_dir / "target"
        data.remove(spark_dir)
        warehouse_dir.mkdir(parents=True)
        env = self.env(
            CX_DBT_TARGET="spark",
            CX_SPARK_WAREHOUSE=str(warehouse_dir),
            CX_SPARK_MEMORY=self.args.spark_memory,
            DBT_TARGET_PATH=str(target),
        )
        landing_command = [
            sys.executable, "-m", "scripts.spark_landing", "--raw-dir", str(self.raw),
            "--warehouse", str(warehouse_dir), "--threads", str(self.args.threads),
            "--memory", self.args.spark_memory,
        ]  # fmt: skip
        log(f"{self.scale.name}: Spark: scripts.spark_landing")
        landing = procmon.run(landing_command, env=env, cwd=self.project, log_file=self.log_file)
        if not landing.ok:
            raise RuntimeError(f"spark_landing failed (exit {landing.returncode}):\n{landing.stdout_tail}")
        command = [dbt.executable(), "build", "--full-refresh", "--exclude-resource-type", "unit_test"]
        log(f"{self.scale.name}: Spark: dbt build --full-refresh")
        build = procmon.run(command, env=env, cwd=self.project, log_file=self.log_file)
        results = check_build(build, target / "run_results.json")
        shutil.copy(target / "run_results.json", self.root / "run_results_spark_full.json")
        return {
            "command": " ".join(command[1:]),
            "master": f"local[{self.args.threads}]",
            "landing": landing.as_dict(),
            "full": build.as_dict()
            | {
                "spans": node_spans(results),
                "top_models": top_nodes(results),
                "failed_tests": failed_tests(results),
            },
            "wall_s": build.wall_s,
        }

    # ---- replay / floor ------------------------------------------------------------------------
    def _repeated_median(self, phase: str, measure) -> dict:
        """`measure()` under the load sampler, repeated while short (`repeated`); the median run, with every
        run's wall time."""

        def once(i: int) -> dict:
            log(f"{self.scale.name}: {phase} run {i + 1}")
            with procmon.LoadSampler() as load:
                result = measure()
            return result | {"load_1m": load.summary()}

        runs = repeated(f"{self.scale.name} {phase}", self.args, once)
        return median_run(runs) | {"runs_wall_s": [r["wall_s"] for r in runs]}

    def replay(self) -> dict:
        return self._repeated_median(
            "direct replay",
            lambda: replay.run(
                self.target_full,
                self.warehouse_full,
                self.root / "replay",
                memory_limit=self.args.memory_limit,
            ),
        )

    def floor(self) -> dict:
        result = self._repeated_median(
            "floor",
            lambda: floor.run(
                self.raw, data.tables(self.raw), self.root / "spill", memory_limit=self.args.memory_limit
            ),
        )
        if self.warehouse_full.exists():
            # every table of the full build copied once into a new file
            result["write"] = self._repeated_median(
                "write floor",
                lambda: floor.run_write(
                    self.warehouse_full,
                    self.root / "write_floor.duckdb",
                    self.root / "spill",
                    memory_limit=self.args.memory_limit,
                ),
            )
        return result

    # ---- nightly -------------------------------------------------------------------------------
    def nightly(self) -> dict:
        has_nightly = (self.project / "scripts" / "nightly.py").exists()
        return self._nightly_script() if has_nightly else self._nightly_dbt()

    def append_day(self) -> dict:
        if self.args.append_mode == "generator":
            log(f"{self.scale.name}: generate_data --append-day")
            return data.generator_append(self.raw, self.project, self.env(), self.log_file)
        return data.append_last_day(self.root / "source", self.raw)

    def remove_appended_day(self, appended: dict) -> None:
        if appended.get("mode") == "partition":
            for table in data.tables(self.raw):
                data.remove(self.raw / table / f"load_date={appended['load_date']}")

    def nightly_cmd(self) -> tuple[list[str], dict[str, str], Path]:
        live = self.root / "nightly" / "cx.duckdb"
        cmd = [sys.executable, "-m", "scripts.nightly", "--raw-dir", str(self.raw), "--warehouse", str(live)]
        return cmd, self.env(CX_WAREHOUSE=str(live)), live

    def nightly_full(self) -> dict:
        """scripts.nightly --full-refresh on a new warehouse; its run record's steps include dbt's build."""
        if "nightly_full" in self.cache:
            return self.cache["nightly_full"]
        cmd, env, live = self.nightly_cmd()
        data.remove(live.parent)
        log(f"{self.scale.name}: nightly --full-refresh")
        full = procmon.run([*cmd, "--full-refresh"], env=env, cwd=self.project, log_file=self.log_file)
        if not full.ok:
            raise RuntimeError(f"nightly --full-refresh failed (exit {full.returncode}):\n{full.stdout_tail}")
        record = self.run_record(live)
        results = self.nightly_run_results(live)
        self.cache["nightly_full"] = full.as_dict() | {
            "steps": record.get("steps"),
            "top_models": top_nodes(results) if results else None,
            "spans": node_spans(results) if results else None,
        }
        return self.cache["nightly_full"]

    def adopt_full_build(self) -> dict:
        """--nightly-adopt: publish the full-refresh warehouse as the nightly's, with the build state the
        nightly itself writes (scripts.nightly.adopt: its ops.nightly_state and the build's dbt manifest), so
        the incremental run starts without a second full build (used at scale L)."""
        _, env, live = self.nightly_cmd()
        data.remove(live.parent)
        live.parent.mkdir(parents=True)
        warehouse.clone_or_copy(self.warehouse_full, live)
        # the nightly's state and manifest, and its dbt parse cache as the previous night would have left it
        # (a first run parses from scratch, ~11 s at any scale, which a scheduler's nights do not pay)
        code = (
            "import sys; from pathlib import Path; from scripts import nightly; "
            "live, raw = Path(sys.argv[1]).resolve(), str(Path(sys.argv[2]).resolve()); "
            "nightly.adopt(live, raw, 'bench-adopted-full-refresh', float(sys.argv[3]))"
        )
        started = str(self.cache.get("full_started_epoch") or self._full_started_epoch())
        command = [sys.executable, "-c", code, str(live), str(self.raw), started]
        m = procmon.run(command, env=env, cwd=self.project, log_file=self.log_file)
        if not m.ok:
            raise RuntimeError(f"could not adopt the full-refresh warehouse:\n{m.stdout_tail}")
        return {"adopted": True, "wall_s": None, "note": "the full-refresh warehouse (no second build)"}

    def _nightly_script(self) -> dict:
        cmd, env, live = self.nightly_cmd()
        full = self.adopt_full_build() if self.args.nightly_adopt else self.nightly_full()
        base = self.root / "nightly_base.duckdb"
        # repeats restore the published warehouse first: only worth the copy when a run is short
        repeatable = (full["wall_s"] or 1e9) < 10 * SHORT_S
        # the nightly keeps the published build's dbt manifest beside the file (its state comparison): a
        # restored file needs its manifest back, or the repeat is a full refresh
        state = warehouse.build_dir(live) / nightly.STATE_DIR_NAME
        base_state = self.root / "nightly_base_state"
        if repeatable:
            warehouse.clone_or_copy(live, base)
            data.remove(base_state)
            if state.is_dir():
                shutil.copytree(state, base_state)
        appended = self.append_day()
        log(
            f"{self.scale.name}: appended {appended.get('load_date', 'one day')} "
            f"({appended.get('rows', '?')} rows)"
        )

        def once(i: int) -> dict:
            if i:
                warehouse.clone_or_copy(base, live)
                data.remove(state)
                if base_state.is_dir():
                    shutil.copytree(base_state, state)
            log(f"{self.scale.name}: nightly incremental run {i + 1}")
            m = procmon.run(cmd, env=env, cwd=self.project, log_file=self.log_file)
            record = self.run_record(live)
            if not m.ok and not (record.get("steps") or {}).get("build"):
                raise RuntimeError(f"nightly failed (exit {m.returncode}):\n{m.stdout_tail}")
            results = self.nightly_run_results(live)
            return m.as_dict() | {
                "run": i + 1,
                "exit_code": m.returncode,
                "message": record.get("message"),
                "rebuild": record.get("rebuild"),
                "forced_full_refresh": record.get("full_refresh"),
                "full_refresh_reason": record.get("full_refresh_reason"),
                "candidate": record.get("candidate"),
                "steps": record.get("steps"),
                "build_start": record.get("build_start"),
                "candidate_copy_s": record.get("candidate_copy_s"),
                "candidate_flush_s": record.get("candidate_flush_s"),
                "top_models": top_nodes(results) if results else None,
                "spans": node_spans(results) if results else None,
            }

        runs = repeated(f"{self.scale.name} nightly", self.args, once, max_runs=None if repeatable else 1)
        # what a night pays before any data, and a night after a deploy that edited one mart
        noop = self._one_night("no-op nightly (nothing new)", cmd, env, self.project)
        edited = self._one_night(f"nightly after an edit of {EDITED_MART}", cmd, env, self._edited_project())
        self.remove_appended_day(appended)
        data.remove(base)
        data.remove(base_state)
        med = median_run(runs)
        return {
            "mode": "scripts.nightly",
            "full_refresh": full,
            "append": appended,
            "incremental_runs": runs,
            "noop": noop,
            "edited_mart": edited | {"model": EDITED_MART},
            "wall_s": med["wall_s"],
            "median_run": med["run"],
            "peak_tree_rss_gib": max(r["peak_tree_rss_gib"] for r in runs),
            "warehouse_gib": round(live.stat().st_size / 2**30, 3) if live.exists() else None,
        }

    def _one_night(self, what: str, cmd: list[str], env: dict[str, str], project: Path) -> dict:
        """One more scripts.nightly run on the published warehouse, from `project`; its wall time and what the
        run record says it rebuilt."""
        log(f"{self.scale.name}: {what}")
        env = env | {"DBT_PROFILES_DIR": str(project)}
        m = procmon.run(cmd, env=env, cwd=project, log_file=self.log_file)
        record = self.run_record(self.nightly_cmd()[2])
        if not m.ok:
            raise RuntimeError(f"{what} failed (exit {m.returncode}):\n{m.stdout_tail}")
        results = self.nightly_run_results(self.nightly_cmd()[2])
        return m.as_dict() | {
            "rebuild": record.get("rebuild"),
            "steps": record.get("steps"),
            "top_models": top_nodes(results) if results else None,
        }

    def _edited_project(self) -> Path:
        """A copy of the benchmarked project with one mart edited (a comment: its file checksum changes, its
        rows do not), as after a deploy: the nightly's state comparison should rebuild that mart and its
        descendants."""
        copy = self.root / "project_edited"
        data.remove(copy)
        shutil.copytree(
            self.project,
            copy,
            symlinks=True,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "target", "logs", "warehouse", "data", "benchmarks", "__pycache__"
            ),
        )
        mart = next(copy.glob(f"models/**/{EDITED_MART}.sql"))
        edit = "\n-- benchmark: an edited mart (its checksum changes, not its rows)\n"
        mart.write_text(mart.read_text() + edit)
        return copy

    def full_via_nightly(self) -> dict:
        """--full-via-nightly: the full refresh is dbt's build step inside scripts.nightly --full-refresh, so
        scale L builds once instead of twice; the replay then reads the nightly's target and warehouse."""
        full = self.nightly_full()
        _, _, live = self.nightly_cmd()
        self.target_full = live.parent / ".build" / "target"
        self.warehouse_full = live
        build_s = (full.get("steps") or {}).get("build")
        return {
            "command": "build --full-refresh --exclude-resource-type unit_test (nightly step build)",
            "runs": [full | {"run": 1, "nightly_total_s": full["wall_s"], "wall_s": build_s}],
            "wall_s": build_s,
            "peak_tree_rss_gib": full["peak_tree_rss_gib"],
            "peak_process_rss_gib": full["peak_process_rss_gib"],
            "median_run": 1,
            "via_nightly": True,
        }

    def _nightly_dbt(self) -> dict:
        live = self.root / "nightly" / "cx.duckdb"
        data.remove(live.parent)
        live.parent.mkdir(parents=True)
        warehouse.clone_or_copy(self.warehouse_full, live)
        appended = self.append_day()
        target = self.root / "target_nightly"
        env = self.env(CX_WAREHOUSE=str(live), DBT_TARGET_PATH=str(target))
        log(f"{self.scale.name}: dbt build (no --full-refresh) after the new day")
        m = procmon.run(
            [dbt.executable(), "build", "--exclude-resource-type", "unit_test"],
            env=env,
            cwd=self.project,
            log_file=self.log_file,
        )
        self.remove_appended_day(appended)
        if not m.ok:
            raise RuntimeError(f"dbt build failed (exit {m.returncode}):\n{m.stdout_tail}")
        results = json.loads((target / "run_results.json").read_text())
        run = m.as_dict() | {"run": 1, "top_models": top_nodes(results), "spans": node_spans(results)}
        return {
            "mode": "dbt build (no scripts/nightly.py)",
            "append": appended,
            "incremental_runs": [run],
            "wall_s": run["wall_s"],
            "median_run": 1,
            "peak_tree_rss_gib": run["peak_tree_rss_gib"],
        }

    def _full_started_epoch(self) -> float:
        """When the full refresh of an earlier invocation started (its run_results.json, or the copy the
        full-refresh phase keeps of its first run); 0 when unknown (a night then reads every raw file)."""
        for path in (self.target_full / "run_results.json", self.root / "run_results_full_1.json"):
            try:
                results = json.loads(path.read_text())
                generated = results["metadata"]["generated_at"].replace("Z", "+00:00")
                return dt.datetime.fromisoformat(generated).timestamp() - float(results["elapsed_time"])
            except (OSError, ValueError, KeyError):
                continue
        return 0.0

    @staticmethod
    def run_record(live: Path) -> dict:
        try:
            return json.loads((live.parent / "runs" / "latest.json").read_text())
        except (OSError, ValueError):
            return {}

    @staticmethod
    def nightly_run_results(live: Path) -> dict | None:
        path = live.parent / ".build" / "target" / "run_results.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def _phase(self, result: dict, name: str, function) -> bool:
        """Run one phase into result[name]; a failure is recorded in result['errors'] and the rest goes on."""
        try:
            result[name] = function()
            return True
        except Exception as error:  # a failed phase must not lose the phases already measured
            log(f"{self.scale.name}: {name} FAILED: {error!r}")
            result.setdefault("errors", {})[name] = repr(error)[-3000:]
            return False

    # ---- all -----------------------------------------------------------------------------------
    def run(self) -> dict:
        phases = set(self.args.phases.split(","))
        started = procmon.loadavg()
        result: dict = {
            "scale": self.scale.name,
            "customers": self.scale.customers,
            "days": self.scale.days,
            "note": self.scale.note,
            "started_at": utc_now(),
            "load_at_start": started,
        }
        result |= self.prepare()
        if self.args.full_via_nightly:
            result["full"] = self.full_via_nightly()
        elif "full" in phases or "replay" in phases:
            result["full"] = self.full_refresh()
            log(
                f"{self.scale.name}: full refresh median {result['full']['wall_s']:.1f} s, "
                f"peak {result['full']['peak_tree_rss_gib']:.2f} GiB"
            )
        if "floor" in phases and self._phase(result, "floor", self.floor):
            write = result["floor"].get("write")
            log(
                f"{self.scale.name}: floor {result['floor']['wall_s']:.1f} s"
                + (f", write floor {write['wall_s']:.1f} s" if write else "")
            )
        if "nightly" in phases and self._phase(result, "nightly", self.nightly):
            log(f"{self.scale.name}: nightly {result['nightly']['wall_s']:.1f} s")
        if self.args.engine == "spark" and self._phase(result, "spark", self.spark):
            spark = result["spark"]
            log(
                f"{self.scale.name}: Spark landing {spark['landing']['wall_s']:.1f} s, "
                f"full refresh {spark['full']['wall_s']:.1f} s"
            )
        if "replay" in phases and self._phase(result, "replay", self.replay):
            log(
                f"{self.scale.name}: replay {result['replay']['wall_s']:.1f} s, "
                f"overhead {report.ratios(result)['dbt_overhead_ratio']}"
            )
        result |= report.ratios(result)
        result["finished_at"] = utc_now()
        result["load_at_end"] = procmon.loadavg()
        return result


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.combine:
        documents = [json.loads(p.read_text()) for p in args.combine]
        combined = report.combine(documents)
        args.out.mkdir(parents=True, exist_ok=True)
        stem = args.out / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%MZ}_combined"
        stem.with_suffix(".json").write_text(json.dumps(combined, indent=2, default=str) + "\n")
        stem.with_suffix(".md").write_text(report.markdown(combined))
        print(report.summary(combined))
        log(f"wrote {stem}.md and .json")
        return 0
    if args.customers:
        scales = [data.Scale("X", args.customers, args.days, "custom scale")]
    else:
        names = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
        unknown = [s for s in names if s not in data.SCALES]
        if unknown:
            print(f"unknown scale(s) {unknown}; choose from S, M, L", file=sys.stderr)
            return 2
        scales = [data.replace_days(data.SCALES[s], args.days) for s in names]
    document = {
        "generated_at": utc_now(),
        "label": args.label,
        "machine": machine(),
        "versions": versions(),
        "git": data.git_state(args.project_dir),
        "settings": {
            "memory_limit": args.memory_limit,
            "threads": args.threads,
            "append_mode": args.append_mode,
            "engine": args.engine,
            "project_dir": str(args.project_dir),
        },
        "scales": {},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%MZ}_{''.join(s.name for s in scales)}"
    for scale in scales:
        try:
            document["scales"][scale.name] = Bench(args, scale).run()
        except Exception as error:  # record the failure, go on with the next scale
            log(f"{scale.name}: FAILED: {error!r}")
            document["scales"][scale.name] = {"scale": scale.name, "error": repr(error)[-3000:]}
        stem.with_suffix(".json").write_text(json.dumps(document, indent=2, default=str) + "\n")
        stem.with_suffix(".md").write_text(report.markdown(document))
    print(report.summary(document))
    log(f"wrote {stem}.md and .json")
    return 0 if all("error" not in s for s in document["scales"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
