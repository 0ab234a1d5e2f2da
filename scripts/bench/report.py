"""Markdown report, terminal summary and the combination of several benchmark results."""

from __future__ import annotations

import datetime as dt

# issue #22's targets (scale L; ratios from one run)
TARGETS = {
    "nightly_ratio": 0.15,
    "nightly_l_to_s": 1.5,
    "persisted_rows": 100_000_000,
    "build_to_read_write_floor_ratio": 2.1,
    "edited_mart_ratio": 0.25,
    "peak_gib": 8.0,
}


def _f(value, spec: str = ".1f", none: str = "—") -> str:
    return none if value is None else format(value, spec)


def _seconds(per_name: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in per_name.items())


def _load(run: dict | None) -> str:
    load = (run or {}).get("load_1m") or {}
    if load.get("mean") is None:
        return "—"
    steal = "" if load.get("steal_pct") is None else f", steal {load['steal_pct']:.0f} %"
    return f"{load['mean']:.1f} (max {load['max']:.1f}{steal})"


def combine(documents: list[dict]) -> dict:
    """The latest result per scale across documents (later documents win), machine info from the last."""
    combined = {k: v for k, v in documents[-1].items() if k != "scales"}
    combined["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    combined["label"] = "combined: " + ", ".join(
        f"{name} from {doc['generated_at']}"
        for doc in documents
        for name, result in doc["scales"].items()
        if "error" not in result
    )
    combined["scales"] = {}
    for doc in documents:
        for name, result in doc["scales"].items():
            if "error" in result:
                continue
            # phases measured in a later document (e.g. only the nightly) replace those of an earlier one
            merged = combined["scales"].get(name, {}) | result
            merged["sources"] = [*combined["scales"].get(name, {}).get("sources", []), doc["generated_at"]]
            errors = (combined["scales"].get(name, {}).get("errors") or {}) | (result.get("errors") or {})
            merged["errors"] = {k: v for k, v in errors.items() if k not in merged}
            combined["scales"][name] = merged | ratios(merged)
    order = {"S": 0, "M": 1, "L": 2}
    combined["scales"] = dict(sorted(combined["scales"].items(), key=lambda kv: order.get(kv[0], 9)))
    return combined


RATIOS = (
    "build_to_floor_ratio",
    "build_to_read_write_floor_ratio",
    "nightly_ratio",
    "nightly_ratio_vs_nightly_full",
    "edited_mart_ratio",
    "dbt_overhead_ratio",
    "spark_to_duckdb_ratio",
    "spark_with_landing_to_duckdb_ratio",
)


def ratios(r: dict) -> dict:
    """The ratios derived from a scale's phases as it has them now (None where a phase is missing), so a
    combined result never keeps a ratio computed against another run's full refresh."""
    full = (r.get("full") or {}).get("wall_s")
    floor = r.get("floor") or {}
    write = (floor.get("write") or {}).get("wall_s")
    nightly = (r.get("nightly") or {}).get("wall_s")
    nightly_full = ((r.get("nightly") or {}).get("full_refresh") or {}).get("wall_s")
    replay = (r.get("replay") or {}).get("wall_s")
    out: dict = dict.fromkeys(RATIOS)
    if nightly and nightly_full:
        out["nightly_ratio_vs_nightly_full"] = round(nightly / nightly_full, 3)
    if full:
        if floor.get("wall_s"):
            out["build_to_floor_ratio"] = round(full / floor["wall_s"], 1)
            if write:
                out["build_to_read_write_floor_ratio"] = round(full / (floor["wall_s"] + write), 2)
        if nightly:
            out["nightly_ratio"] = round(nightly / full, 3)
        edited = ((r.get("nightly") or {}).get("edited_mart") or {}).get("wall_s")
        if edited:
            out["edited_mart_ratio"] = round(edited / full, 3)
        if replay:
            out["dbt_overhead_ratio"] = round(full / replay, 2)
        spark = r.get("spark") or {}
        if (spark.get("full") or {}).get("wall_s"):
            out["spark_to_duckdb_ratio"] = round(spark["full"]["wall_s"] / full, 2)
            landing = (spark.get("landing") or {}).get("wall_s") or 0.0
            out["spark_with_landing_to_duckdb_ratio"] = round((spark["full"]["wall_s"] + landing) / full, 2)
    return out


def cpu_overhead(r: dict) -> float | None:
    """dbt build CPU s / direct-SQL CPU s: the overhead figure that a shared machine's load barely moves."""
    full = r.get("full") or {}
    median = next((x for x in full.get("runs", []) if x["run"] == full.get("median_run")), None) or {}
    replay_cpu = (r.get("replay") or {}).get("cpu_s")
    return round(median["cpu_s"] / replay_cpu, 2) if median.get("cpu_s") and replay_cpu else None


def _contacts(result: dict) -> int | None:
    return (result.get("raw") or {}).get("contacts", {}).get("rows")


def growth_table(doc: dict) -> list[str]:
    lines = [
        "| scale | customers | contacts (raw rows) | raw MB | generator s | full refresh s (CPU s) "
        "| peak GiB | replay s (CPU s) | dbt overhead wall (CPU) | floor s | build / floor | write floor s "
        "| build / (read + write floor) | nightly full s | nightly incr. s | nightly / full "
        "| load 1m during full |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in doc["scales"].items():
        if "error" in r:
            lines.append(f"| {name} | failed: {r['error'][:80]} |" + " |" * 16)
            continue
        full = r.get("full") or {}
        nightly = r.get("nightly") or {}
        raw_mb = sum(t["mb"] for t in (r.get("raw") or {}).values())
        median = next((x for x in full.get("runs", []) if x["run"] == full.get("median_run")), None)
        replay = r.get("replay") or {}
        full_cpu = (median or {}).get("cpu_s")
        cpu_ratio = cpu_overhead(r)
        lines.append(
            f"| {name} | {r['customers']:,} | {_f(_contacts(r), ',')} | {raw_mb:,.0f} "
            f"| {_f((r.get('generate') or {}).get('wall_s'))} | {_f(full.get('wall_s'))} ({_f(full_cpu)}) "
            f"| {_f(full.get('peak_tree_rss_gib'), '.2f')} "
            f"| {_f(replay.get('wall_s'))} ({_f(replay.get('cpu_s'))}) "
            f"| {_f(r.get('dbt_overhead_ratio'), '.2f')} ({_f(cpu_ratio, '.2f')}) "
            f"| {_f((r.get('floor') or {}).get('wall_s'))} "
            f"| {_f(r.get('build_to_floor_ratio'))} "
            f"| {_f(((r.get('floor') or {}).get('write') or {}).get('wall_s'))} "
            f"| {_f(r.get('build_to_read_write_floor_ratio'), '.2f')} "
            f"| {_f((nightly.get('full_refresh') or {}).get('wall_s'))} "
            f"| {_f(nightly.get('wall_s'))} | {_f(r.get('nightly_ratio'), '.1%')} | {_load(median)} |"
        )
    return lines


def targets_table(doc: dict) -> list[str]:
    name = "L" if "L" in doc["scales"] else (list(doc["scales"])[-1] if doc["scales"] else None)
    if name is None or "error" in doc["scales"][name]:
        return []
    r = doc["scales"][name]
    full = (r.get("full") or {}).get("wall_s")
    peak = max(
        (r.get("full") or {}).get("peak_tree_rss_gib") or 0,
        (r.get("nightly") or {}).get("peak_tree_rss_gib") or 0,
    )
    nightly = r.get("nightly") or {}
    small = doc["scales"].get("S") if name != "S" else None
    small_nightly = ((small or {}).get("nightly") or {}).get("wall_s")
    l_to_s = round(nightly["wall_s"] / small_nightly, 2) if nightly.get("wall_s") and small_nightly else None
    rows_written = ((r.get("floor") or {}).get("write") or {}).get("rows")
    rebuild = (nightly.get("edited_mart") or {}).get("rebuild") or {}
    rows = [
        (
            "nightly one-day run / full refresh",
            f"≤ {TARGETS['nightly_ratio']:.0%}",
            _f(r.get("nightly_ratio"), ".1%"),
            None if r.get("nightly_ratio") is None else r["nightly_ratio"] <= TARGETS["nightly_ratio"],
        ),
        (
            f"nightly at {name} / nightly at S",
            f"≤ {TARGETS['nightly_l_to_s']}",
            _f(l_to_s, ".2f"),
            None if l_to_s is None else l_to_s <= TARGETS["nightly_l_to_s"],
        ),
        (
            "persisted rows of a full build",
            f"≤ {TARGETS['persisted_rows'] / 1e6:.0f} M",
            _f(None if rows_written is None else rows_written / 1e6, ".1f") + " M",
            None if rows_written is None else rows_written <= TARGETS["persisted_rows"],
        ),
        (
            "full refresh / (read floor + write floor)",
            f"≤ {TARGETS['build_to_read_write_floor_ratio']}",
            _f(r.get("build_to_read_write_floor_ratio"), ".2f"),
            None
            if r.get("build_to_read_write_floor_ratio") is None
            else r["build_to_read_write_floor_ratio"] <= TARGETS["build_to_read_write_floor_ratio"],
        ),
        (
            "night after one edited mart / full refresh"
            + (f" ({rebuild.get('mode')}: {len(rebuild.get('modified') or [])} modified)" if rebuild else ""),
            f"≤ {TARGETS['edited_mart_ratio']:.0%}",
            _f(r.get("edited_mart_ratio"), ".1%"),
            None
            if r.get("edited_mart_ratio") is None
            else r["edited_mart_ratio"] <= TARGETS["edited_mart_ratio"],
        ),
        (
            "no-op nightly (nothing new), s",
            "report",
            _f((nightly.get("noop") or {}).get("wall_s")),
            None,
        ),
        (
            "peak memory (dbt process tree)",
            f"≤ {TARGETS['peak_gib']:.0f} GiB",
            _f(peak, ".2f") + " GiB",
            peak <= TARGETS["peak_gib"],
        ),
        (
            "full refresh, s",
            "report (≤ 0.65× 96c3f83's, alternated: see benchmarks/README.md)",
            _f(full),
            None,
        ),
    ]
    lines = [f"Targets at scale {name}:", "", "| measure | target | measured | met |", "|---|---|---:|---|"]
    # met "—": not measured in this run (its phase was left out), or a figure that is only reported
    for label, target, measured, met in rows:
        lines.append(
            f"| {label} | {target} | {measured} | {'—' if met is None else ('yes' if met else 'NO')} |"
        )
    return lines


def nightly_steps_text(run: dict) -> str:
    """A night's steps for the report: seconds per step of its run record, how the candidate was made (and in
    how long, beside the landing zone and freshness steps), and how
    much of dbt's start-up ran before the build step (scripts.nightly starts the first dbt build before the
    landing zone step, held at its first connection: its record's build_start)."""
    steps = run.get("steps") or {}
    if isinstance(steps, dict):
        text = ", ".join(
            f"{k} {v:.1f}" if isinstance(v, int | float) else f"{k} {v}" for k, v in steps.items()
        )
    else:
        text = str(steps)
    if run.get("candidate"):
        copy_s = run.get("candidate_copy_s")
        # scripts.nightly copies the candidate beside the landing zone and freshness steps (candidate_copy_s)
        text += f" (candidate {run['candidate']}" + ("" if copy_s is None else f" in {copy_s:.1f} s") + ")"
    start = run.get("build_start") or {}
    if start.get("started_before_gate_s") is not None:
        hidden = start["started_before_gate_s"] - (start.get("waited_at_gate_s") or 0.0)
        text += f"; {hidden:.1f} s of dbt's start-up ran before the build step"
    return text


def scale_section(name: str, r: dict) -> list[str]:
    lines = [f"## Scale {name}: {r.get('note', '')}", ""]
    if "error" in r:
        return [*lines, "```", r["error"], "```", ""]
    lines.append(
        f"{r['customers']:,} customers, {r['days']} days; started {r.get('started_at')}, "
        f"load average at start {r.get('load_at_start')}, at end {r.get('load_at_end')}."
    )
    lines.append("")
    lines += ["| raw table | rows | files | MB |", "|---|---:|---:|---:|"]
    for table, t in (r.get("raw") or {}).items():
        lines.append(f"| {table} | {t['rows']:,} | {t['files']:,} | {t['mb']:,.1f} |")
    lines.append("")
    gen = r.get("generate") or {}
    lines.append(
        f"Generator: {_f(gen.get('wall_s'))} s for {gen.get('days_generated', r['days'] + 1)} days "
        f"(peak {_f(gen.get('peak_tree_rss_gib') or (gen.get('max_rss_kb') or 0) / 2**20, '.2f')} GiB)"
        f"{' — reused' if gen.get('reused') else ''}."
    )
    full = r.get("full")
    if full:
        lines += [
            "",
            f"Full refresh (`dbt {full['command']}`), runs:",
            "",
            "| run | wall s | CPU s | peak tree GiB | peak process GiB | seeds span s | models span s "
            "| tests span s | load 1m |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for run in full["runs"]:
            spans = run.get("spans") or {}
            lines.append(
                f"| {run['run']}{' (median)' if run['run'] == full['median_run'] else ''} "
                f"| {run['wall_s']:.1f} | {_f(run.get('cpu_s'))} "
                f"| {run['peak_tree_rss_gib']:.2f} | {_f(run.get('peak_process_rss_gib'), '.2f')} "
                f"| {_f((spans.get('seed') or {}).get('span_s'))} "
                f"| {_f((spans.get('model') or {}).get('span_s'))} "
                f"| {_f((spans.get('test') or {}).get('span_s'))} | {_load(run)} |"
            )
        failing = sorted({t for run in full["runs"] for t in run.get("failed_tests") or []})
        if failing:
            lines += ["", f"Data tests failing on this dataset (timing kept): {', '.join(failing)}."]
        median = next(x for x in full["runs"] if x["run"] == full["median_run"])
        replay_times = (r.get("replay") or {}).get("model_s") or {}
        lines += [
            "",
            "Top ten models (median run; direct = the same SQL in the replay):",
            "",
            "| model | dbt s | direct s |",
            "|---|---:|---:|",
        ]
        for m in median.get("top_models", []):
            lines.append(f"| {m['name']} | {m['s']:.2f} | {_f(replay_times.get(m['name']), '.2f')} |")
    replay = r.get("replay")
    if replay:
        lines += [
            "",
            f"Direct replay: {replay['wall_s']:.1f} s (seeds {replay['seeds_s']:.1f}, models "
            f"{replay['models_s']:.1f}, {replay['tests_run']} tests {replay['tests_s']:.1f}); runs "
            f"{replay.get('runs_wall_s')}; load {_load(replay)}. dbt overhead ratio "
            f"**{_f(r.get('dbt_overhead_ratio'), '.2f')}**.",
        ]
    fl = r.get("floor")
    if fl:
        lines += [
            "",
            f"Floor (every raw file read once, all columns): {fl['wall_s']:.1f} s "
            f"({_seconds(fl['table_s'])}); runs {fl.get('runs_wall_s')}. "
            f"Build-to-floor **{_f(r.get('build_to_floor_ratio'))}**.",
        ]
        wf = fl.get("write")
        if wf:
            lines += [
                "",
                f"Write floor (every table of the full build, {wf['tables']} tables, {wf['rows']:,} rows, "
                f"copied once into a new file): {wf['wall_s']:.1f} s, CPU {wf['cpu_s']:.1f} s; "
                f"slowest: {_seconds(wf['top_table_s'])}; runs {wf.get('runs_wall_s')}; load {_load(wf)}. "
                "Full refresh / (read floor + write floor) "
                f"**{_f(r.get('build_to_read_write_floor_ratio'), '.2f')}**.",
            ]
    nightly = r.get("nightly")
    if nightly:
        nf = nightly.get("full_refresh") or {}
        ap = nightly.get("append") or {}
        lines += [
            "",
            f"Nightly ({nightly['mode']}): full refresh {_f(nf.get('wall_s'))} s; one new day "
            f"({ap.get('load_date', '')}, {ap.get('rows', '?')} raw rows, {ap.get('mode')}) "
            "then incremental:",
        ]
        lines += [
            "",
            "| run | wall s | peak tree GiB | forced full refresh | load 1m | steps (s) |",
            "|---:|---:|---:|---|---|---|",
        ]
        for run in nightly["incremental_runs"]:
            step_text = nightly_steps_text(run)
            if run.get("exit_code"):
                step_text += f"; exit {run['exit_code']}: {(run.get('message') or '')[:160]}"
            lines.append(
                f"| {run['run']} | {run['wall_s']:.1f} | {run['peak_tree_rss_gib']:.2f} "
                f"| {run.get('forced_full_refresh')} {run.get('full_refresh_reason') or ''} "
                f"| {_load(run)} | {step_text} |"
            )
        median = next(x for x in nightly["incremental_runs"] if x["run"] == nightly["median_run"])
        if median.get("top_models"):
            lines += ["", "Top ten models of the nightly incremental run:", "", "| model | s |", "|---|---:|"]
            lines += [f"| {m['name']} | {m['s']:.2f} |" for m in median["top_models"]]
        lines += [
            "",
            f"Nightly / full refresh: **{_f(r.get('nightly_ratio'), '.1%')}** "
            f"(vs the nightly's own full refresh: {_f(r.get('nightly_ratio_vs_nightly_full'), '.1%')}); "
            f"published warehouse {_f(nightly.get('warehouse_gib'), '.2f')} GiB.",
        ]
    spark = r.get("spark")
    if spark:
        sf, sl = spark["full"], spark["landing"]
        spans = sf.get("spans") or {}
        lines += [
            "",
            f"Spark (dbt-spark session, {spark.get('master')}; docs/scale-out.md): "
            f"`scripts.spark_landing` {sl['wall_s']:.1f} s (peak tree {sl['peak_tree_rss_gib']:.2f} GiB), "
            f"then `dbt {spark['command']}` {sf['wall_s']:.1f} s, "
            f"peak tree {sf['peak_tree_rss_gib']:.2f} GiB (models span "
            f"{_f((spans.get('model') or {}).get('span_s'))} s, tests span "
            f"{_f((spans.get('test') or {}).get('span_s'))} s); load {_load(sf)}. "
            "Spark / DuckDB full refresh "
            f"**{_f(r.get('spark_to_duckdb_ratio'), '.2f')}** (with the landing step "
            f"{_f(r.get('spark_with_landing_to_duckdb_ratio'), '.2f')}).",
        ]
        if sf.get("failed_tests"):
            lines += ["", f"Data tests failing on Spark (timing kept): {', '.join(sf['failed_tests'])}."]
        if sf.get("top_models"):
            lines += ["", "Top ten models on Spark:", "", "| model | s |", "|---|---:|"]
            lines += [f"| {m['name']} | {m['s']:.2f} |" for m in sf["top_models"]]
    errors = _errors(r)
    return [*lines, "", *errors, ""] if errors else [*lines, ""]


def _errors(r: dict) -> list[str]:
    return [f"**{phase} failed:** `{text[-400:]}`" for phase, text in (r.get("errors") or {}).items()]


def markdown(doc: dict) -> str:
    m, v, g, s = doc["machine"], doc["versions"], doc.get("git", {}), doc["settings"]
    lines = [
        "# Warehouse build benchmark",
        "",
        f"Generated {doc['generated_at']}{' — ' + doc['label'] if doc.get('label') else ''}.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}. "
        f"Python {v['python']}, dbt-core {v['dbt-core']}, dbt-duckdb {v['dbt-duckdb']}, "
        f"DuckDB {v['duckdb']}"
        + (
            f", dbt-spark {v.get('dbt-spark')}, PySpark {v.get('pyspark')}"
            if s.get("engine") == "spark"
            else ""
        )
        + ". "
        f"Project at {g.get('commit')} ({g.get('dirty_files')} uncommitted files in the tree). "
        f"CX_MEMORY_LIMIT={s['memory_limit']}, CX_THREADS={s['threads']}.",
        "",
        "The machine is shared: the 1-minute load average sampled during each phase is in the tables "
        "(2 CPUs: a load above 2 means the build waited for CPU), with the hypervisor's steal time "
        "(the share of CPU time the VM wanted but another guest got, from /proc/stat; "
        "reports before 23 Nov 2026 lack it).",
        "",
        *growth_table(doc),
        "",
        *targets_table(doc),
        "",
    ]
    for name, result in doc["scales"].items():
        lines += scale_section(name, result)
    return "\n".join(lines) + "\n"


def summary(doc: dict) -> str:
    lines = ["", "benchmark summary"]
    for name, r in doc["scales"].items():
        if "error" in r:
            lines.append(f"  {name}: FAILED")
            continue
        lines.append(
            f"  {name}: {_f(_contacts(r), ',')} contacts | full {_f((r.get('full') or {}).get('wall_s'))} s, "
            f"peak {_f((r.get('full') or {}).get('peak_tree_rss_gib'), '.2f')} GiB | overhead "
            f"{_f(r.get('dbt_overhead_ratio'), '.2f')} | floor {_f((r.get('floor') or {}).get('wall_s'))} s "
            f"(x{_f(r.get('build_to_floor_ratio'))}), write floor "
            f"{_f(((r.get('floor') or {}).get('write') or {}).get('wall_s'))} s "
            f"| nightly {_f((r.get('nightly') or {}).get('wall_s'))} s "
            f"({_f(r.get('nightly_ratio'), '.1%')})"
            + (
                f" | spark full {_f(r['spark']['full']['wall_s'])} s "
                f"(x{_f(r.get('spark_to_duckdb_ratio'), '.2f')}), "
                f"landing {_f(r['spark']['landing']['wall_s'])} s"
                if r.get("spark")
                else ""
            )
        )
    return "\n".join(lines)
