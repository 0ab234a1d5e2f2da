"""Operations: the pieces of the nightly build (SPEC §7), each a small module with a `main()` where useful.

- `contract`: the raw landing-zone contract (the sources YAML meta) as Python data.
- `landing_zone`: check every raw table, file and contract column before anything is built.
- `dbt`: run dbt in a subprocess (one invocation at a time) and read its artefacts.
- `warehouse`: the build lock, the candidate copy and the atomic publish.
- `freshness`: source freshness from the sources YAML's thresholds, queried without a dbt invocation.
- `validate`: SPEC §6 conservation, personal data, unknown intents, effort calibration, on any warehouse
  file opened read-only; mart/fact reconciliation and metric bounds as the dbt build's tests say they ran.
- `run_record`: the JSON run record written after every nightly run.
- `evaluate_project`: dbt_project_evaluator on a copy of the project, against the README's exceptions
  (run by hand with local checkouts of the evaluator and dbt_utils; not part of the nightly or `make test`).
"""
