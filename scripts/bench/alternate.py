"""Alternate two versions of the project's one-day night on the benchmark's data: model times side by side.

    python -m scripts.bench.alternate --old 0bf2032                  # a revision of this repository
    python -m scripts.bench.alternate --old ../other_tree --scale L --pairs 3 --noop

A change to a model's SQL is judged on a shared machine by running the old and the new version in turn, on the
same data, and comparing the models' own times: one version's whole nights vary by a fifth in an hour there.
This runs what the benchmark's nightly phase runs (scripts/benchmark.py, --nightly-adopt) for both versions:
each night starts from the scale's full-refresh warehouse, copied and adopted as that version's published
build (scripts.nightly.adopt: its state and its dbt manifest) with that version's views created on it (a night
keeps the published file's views, so a view rewritten by one version would else be the same for both), then
`scripts.nightly` runs from that version's
tree on the dataset with its last day appended (appended once, removed at the end). With --noop a night with
nothing new follows each one. Pairs run old, new, then new, old: a drift of the host's speed falls on both.

Needs a benchmark run of the scale first (its dataset and full-refresh warehouse stay under --work-dir):
    python -m scripts.benchmark --scales L --reuse-data --phases full
Both versions must store the same tables from the same data (a SQL rewrite, a setting): the one warehouse
stands for each version's full refresh. For a change to what a table holds, benchmark each version instead.
A revision is checked out once as a git worktree under --work-dir/alternate (`git worktree prune` after
removing it). Printed: per version the median night, build step and thread-seconds of models and data tests;
per model the median time of each version, largest difference first. --json keeps every night's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from scripts import benchmark
from scripts.bench import data, procmon

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


class AlternateError(Exception):
    """A problem the user can fix; its message says how."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench.alternate",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--old", required=True, help="the version to compare with: a git revision or a tree")
    parser.add_argument("--new", default=str(PROJECT_DIR), help="the version under test (default: this tree)")
    parser.add_argument("--scale", default="L", choices=sorted(data.SCALES), help="scale (default L)")
    parser.add_argument("--pairs", type=int, default=2, help="nights of each version (default 2)")
    parser.add_argument("--noop", action="store_true", help="also a night with nothing new after each night")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/cx_bench"), help="the benchmark's data")
    parser.add_argument("--top", type=int, default=15, help="models listed (default 15)")
    parser.add_argument("--json", type=Path, help="write every night's figures to this file")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    return args


def log(message: str) -> None:
    benchmark.log(message)


def resolve_tree(spec: str, work_dir: Path) -> Path:
    """A project directory as given, or a revision of this repository checked out (once) as a worktree."""
    path = Path(spec).expanduser()
    if (path / "dbt_project.yml").is_file():
        return path.resolve()
    found = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        raise AlternateError(f"{spec!r} is neither a dbt project directory nor a revision of {PROJECT_DIR}")
    sha = found.stdout.strip()
    tree = work_dir / "alternate" / f"tree_{sha[:12]}"
    if not (tree / "dbt_project.yml").is_file():
        log(f"checking out {sha[:12]} as a worktree: {tree}")
        tree.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(PROJECT_DIR), "worktree", "prune"], check=True)
        added = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "worktree", "add", "--detach", str(tree), sha],
            capture_output=True,
            text=True,
        )
        if added.returncode != 0:
            raise AlternateError(f"git worktree add failed: {added.stderr.strip()}")
    return tree


def night_summary(measure: procmon.Measure, record: dict, run_results: dict | None) -> dict:
    """One night's figures: wall time, steps, the thread-seconds of models and data tests (the benchmark's
    node_spans) and each model's seconds (its top_nodes, every model)."""
    results = run_results or {}
    spans = benchmark.node_spans(results)
    every = len(results.get("results", []))
    steps = record.get("steps") or {}
    return {
        "wall_s": round(measure.wall_s, 2),
        "exit_code": measure.returncode,
        "load_1m": measure.load_summary()["mean"],
        "steps": steps,
        "build_start": record.get("build_start"),
        "candidate_copy_s": record.get("candidate_copy_s"),
        "candidate_flush_s": record.get("candidate_flush_s"),
        "build_s": steps.get("build"),
        "model_thread_s": spans.get("model", {}).get("sum_s", 0.0),
        "test_thread_s": spans.get("test", {}).get("sum_s", 0.0),
        "models": {row["name"]: row["s"] for row in benchmark.top_nodes(results, "model", n=every)},
    }


def bench_for(tree: Path, args: argparse.Namespace) -> benchmark.Bench:
    """The benchmark's scale, as the benchmark would run it from `tree` (--nightly-adopt)."""
    scale = ["--scales", args.scale, "--work-dir", str(args.work_dir)]
    bench_args = benchmark.parse_args([*scale, "--project-dir", str(tree), "--nightly-adopt"])
    return benchmark.Bench(bench_args, data.SCALES[args.scale])


def create_views(bench: benchmark.Bench, tree: Path, side: str, args: argparse.Namespace) -> None:
    """`tree`'s views on the adopted copy (`dbt run` of the views only; a dbt target of its own, so the
    nightly's parse cache stays as adopted)."""
    _, env, live = bench.nightly_cmd()
    target = args.work_dir / "alternate" / f"views_{side}"
    env = env | {
        "CX_WAREHOUSE": str(live),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target / "logs"),
    }
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "run", "--select", "config.materialized:view", "--project-dir", str(tree)]
    measure = procmon.run(command, env=env, cwd=tree, log_file=bench.log_file)
    if not measure.ok:
        raise AlternateError(
            f"creating the {side} version's views failed (exit {measure.returncode}); see {bench.log_file}:\n"
            f"{measure.stdout_tail}"
        )


def one_version_nights(side: str, tree: Path, args: argparse.Namespace) -> dict:
    """The scale's full-refresh warehouse adopted by `tree`'s nightly with `tree`'s views, one night, a no-op
    night (--noop)."""
    bench = bench_for(tree, args)
    bench.adopt_full_build()
    create_views(bench, tree, side, args)
    cmd, env, live = bench.nightly_cmd()
    nights = {}
    for kind in ("night", "noop") if args.noop else ("night",):
        log(f"{args.scale}: {side} ({tree.name}): {'no-op night' if kind == 'noop' else 'one-day night'}")
        measure = procmon.run(cmd, env=env, cwd=tree, log_file=bench.log_file)
        if not measure.ok:
            raise AlternateError(
                f"the {side} version's nightly failed (exit {measure.returncode}); see {bench.log_file}:\n"
                f"{measure.stdout_tail}"
            )
        nights[kind] = night_summary(measure, bench.run_record(live), bench.nightly_run_results(live))
    data.remove(live.parent)
    return nights


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def render(runs: list[dict], kind: str, top: int) -> str:
    """A markdown table of the medians per version, then the models whose medians differ most."""
    sides = ("old", "new")
    per_side = {s: [r[kind] for r in runs if r["side"] == s and kind in r] for s in sides}
    if not all(per_side.values()):
        return ""
    title = "one-day" if kind == "night" else "no-op"
    lines = [f"### {title} nights ({len(per_side['old'])} per version)", ""]
    lines += ["| version | night s | build step s | model thread-s | test thread-s |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for side in sides:
        nights = per_side[side]
        figures = [
            median([n[key] for n in nights if n.get(key) is not None])
            for key in ("wall_s", "build_s", "model_thread_s", "test_thread_s")
        ]
        lines.append(f"| {side} | " + " | ".join("" if f is None else f"{f:.2f}" for f in figures) + " |")
    models = sorted({model for night in per_side["old"] + per_side["new"] for model in night["models"]})
    rows = []
    for model in models:
        old = median([n["models"][model] for n in per_side["old"] if model in n["models"]])
        new = median([n["models"][model] for n in per_side["new"] if model in n["models"]])
        if old is not None and new is not None:
            rows.append((new - old, model, old, new))
    rows.sort(key=lambda row: -abs(row[0]))
    lines += ["", "| model | old s (median) | new s (median) | new − old s |", "|---|---:|---:|---:|"]
    lines += [f"| {model} | {old:.2f} | {new:.2f} | {diff:+.2f} |" for diff, model, old, new in rows[:top]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.work_dir / args.scale
    try:
        if not (root / "full" / "cx.duckdb").is_file() or not (root / "source").is_dir():
            raise AlternateError(
                f"no benchmark data for scale {args.scale} under {args.work_dir}: run "
                f"`python -m scripts.benchmark --scales {args.scale} --reuse-data --phases full` first"
            )
        trees = {"old": resolve_tree(args.old, args.work_dir), "new": resolve_tree(args.new, args.work_dir)}
    except AlternateError as error:
        print(f"alternate: {error}", file=sys.stderr)
        return 2
    bench = bench_for(trees["new"], args)
    appended = bench.append_day()
    log(f"{args.scale}: appended {appended['load_date']} ({appended['rows']:,} rows); {args.pairs} pair(s)")
    runs = []
    try:
        for pair in range(args.pairs):
            order = ("old", "new") if pair % 2 == 0 else ("new", "old")
            for side in order:
                nights = one_version_nights(side, trees[side], args)
                runs.append({"pair": pair + 1, "side": side, "tree": str(trees[side]), **nights})
                night = nights["night"]
                log(
                    f"{args.scale}: {side}: night {night['wall_s']:.1f} s, build step {night['build_s']} s, "
                    f"{night['model_thread_s']:.1f} model + {night['test_thread_s']:.1f} test thread-s"
                )
    except (AlternateError, RuntimeError) as error:  # RuntimeError: the warehouse could not be adopted
        print(f"alternate: {error}", file=sys.stderr)
        return 1
    finally:
        bench.remove_appended_day(appended)
    sections = [render(runs, kind, args.top) for kind in ("night", "noop")]
    print("\n".join(section for section in sections if section), end="")
    if args.json:
        document = {"scale": args.scale, "trees": {k: str(v) for k, v in trees.items()}, "runs": runs}
        args.json.write_text(json.dumps(document, indent=2) + "\n")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
