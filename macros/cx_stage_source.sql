{% macro cx_stage_source(source_name, table_name, orphan_parent=none, rank_in_second_pass=false) -%}
    {#- Validated base relation of one raw table (SPEC §2, §6). Every raw row comes out exactly once with:
        the contract's columns cast, trimmed, enums lower-cased, timestamps converted to naive UTC;
        _quarantine_reason (the first SPEC §6 check it fails, null when valid); _status (accepted /
        superseded / quarantined: the latest valid _loaded_at per primary key wins, ties broken by the file
        read last in sorted path order and the row's position in it); _load_date, _source_file,
        _file_row_number; and, for quarantined rows only, _record_key (the key as delivered, parts joined with
        '|') and _raw_row (the row as delivered, as JSON).
        orphan_parent: relation of accepted parents for the `orphan_column` check (events → contacts).

        Full refresh: the validated rows are computed once (a materialized CTE) and read three times: to count the
        valid deliveries per key hash, to rank the keys delivered more than once, and to write every row. With
        rank_in_second_pass=true they are instead typed, checked and written in one streaming pass, and the keys
        delivered more than once (valid or not: their hashes counted from a second read of the key columns alone)
        are read a third time, typed and checked again, and ranked. That pays where materializing every row
        costs more than reading the raw files again: the 60 M narrow event rows (-18 % CPU at L) and the 7.5 M
        contacts of 53 columns, whose materialized rows spilled to disk (-8 % at L); for the orders, customers,
        subscriptions and survey responses it cost more than it saved (benchmarks/results/fixes.md, fifth and
        seventeenth rounds). Only for the landing zone's files alone: with an adapter's mapping as a second input
        (a platform switched on) the rows of every input are materialized and ranked together as above.

        Incremental (a model configured materialized='incremental', unique_key=['_source_file',
        '_file_row_number'], incremental_strategy='delete+insert'): a nightly run reads only the raw files not
        yet in the table (DuckDB prunes the others by file name), validates them, and re-ranks them together
        with the rows already stored for the same keys, so a later delivery supersedes the stored row and a
        bad one never replaces it; for child tables the stored `orphan` rows whose parent is now accepted are
        re-checked too (the orphan check and that re-check look the parents up among those the new rows and the
        stored orphans name, read in one pass: orphan_parents). Every re-ranked row is rewritten with _batch_at =
        this run's start (cx_batch_at), which is how incremental models downstream find the keys that changed. A
        row lands in exactly the state a full refresh gives it.

        Platform adapters (SPEC §8, macros/cx_platform_adapters.sql): when an adapter maps its records onto this
        table, the rows of its mapping (a macro, inlined) are a second input, typed and checked by the same rules and ranked
        together with the landing zone's (one set of rules for every source; ids of different sources do not
        meet). The table then also carries source_system, _source_table (the row's table in mart_data_quality),
        the adapters' extra columns and _excluded_reason: a record that is no customer's contact (SPEC §8.1) is
        `excluded`, not validated, but ranked with its key's other deliveries, so a later excluded delivery (a
        Zendesk ticket deleted or merged away) supersedes the key's earlier valid ones; a line that is not a JSON
        object is quarantined as malformed_json before any other check (it has no columns to check); a reason
        only the platform's own model can see arrives as the mapping's _mapping_reason (registry:
        mapping_reasons), checked right after. The landing-zone input is read
        when `sources` includes landing_zone, and may be absent when an enabled adapter provides the table. -#}
    {%- set raw_relation = source(source_name, table_name) -%}
    {%- set currency_relation = ref('currency_rates') -%}
    {%- set adapter_objects = [] -%}
    {%- for adapter_name, adapter_spec in cx_platform_adapters().items() -%}
        {%- for object_name, object_spec in adapter_spec.objects.items() if object_spec.maps_to == table_name -%}
            {#- lines_relation: the source table its files are (<source>/<table>/… in `files`), for the Spark
                nightly's file list; named at run time only when the adapter is on, so no other source's unit
                test needs its fixture -#}
            {%- do adapter_objects.append({
                'source_system': adapter_name,
                'relation': cx_platform_mapping(object_spec.mapping),
                'lines_relation': source(adapter_name, object_spec.files.split('/')[1])
                    if not execute or adapter_name in cx_enabled_sources() else none,
                'files': object_spec.files,
                'quality_table': object_spec.quality_table,
                'extra_columns': object_spec.get('extra_columns', []),
                'hashed_columns': object_spec.get('hashed_columns', []),
                'mapping_reasons': object_spec.get('mapping_reasons', false),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set has_adapters = adapter_objects | length > 0 -%}
    {%- if not execute -%}
        select * from {{ raw_relation }}
    {%- else -%}
    {%- set contract = cx_source_contract(source_name, table_name) -%}
    {%- set meta = contract.meta -%}
    {%- set columns = contract.columns -%}
    {%- set pk = meta.primary_key -%}
    {%- set contract_names = columns | map(attribute='name') | map('lower') | list -%}
    {#- the adapters' extra columns (each once, in registry order) -#}
    {%- set extra_columns = [] -%}
    {%- for object in adapter_objects -%}
        {%- for extra in object.extra_columns if extra.name not in (extra_columns | map(attribute='name') | list) -%}
            {%- do extra_columns.append(extra) -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- what a table with adapters carries beyond the contract, after its stored columns, in this order -#}
    {%- set adapter_columns = (['source_system', '_source_table'] + (extra_columns | map(attribute='name') | list))
        if has_adapters else [] -%}
    {#- the inputs: the landing zone's files and each enabled adapter's mapping -#}
    {%- set enabled_sources = cx_enabled_sources() -%}
    {%- set provided_by_enabled = [] -%}
    {%- for adapter_name, adapter_spec in cx_platform_adapters().items()
        if adapter_name in enabled_sources and table_name in adapter_spec.provides -%}
        {%- do provided_by_enabled.append(adapter_name) -%}
    {%- endfor -%}
    {%- set rendered_source = raw_relation | string -%}
    {%- set fixture_or_lint = '__dbt__cte__' in rendered_source or target.name == 'lint' -%}
    {%- set inputs = [] -%}
    {%- if 'landing_zone' in enabled_sources -%}
        {%- set lz_present = true -%}
        {%- if provided_by_enabled and not fixture_or_lint -%}
            {%- set lz_present = cx_raw_files_present(table_name ~ '/**/*.parquet', raw_relation) -%}
        {%- endif -%}
        {%- if lz_present -%}
            {%- do inputs.append({'relation': raw_relation, 'files_relation': raw_relation,
                'source_system': 'landing_zone',
                'quality_table': table_name, 'files': table_name ~ '/**/*.parquet', 'is_adapter': false,
                'raw_types': cx_raw_column_types(raw_relation, table_name, contract_names)}) -%}
        {%- endif -%}
    {%- endif -%}
    {#- a platform's mapping delivers every column as text, under the contract's names ({} raw types) -#}
    {%- for object in adapter_objects if object.source_system in enabled_sources -%}
        {%- do inputs.append({'relation': object.relation, 'files_relation': object.lines_relation,
            'source_system': object.source_system,
            'quality_table': object.quality_table, 'files': object.files, 'is_adapter': true,
            'hashed_columns': object.hashed_columns, 'mapping_reasons': object.mapping_reasons,
            'own_extra_columns': object.extra_columns | map(attribute='name') | list,
            'raw_types': {}}) -%}
    {%- endfor -%}
    {%- if not inputs -%}
        {#- no source delivers this table: an empty input with the contract's columns, as text -#}
        {%- set empty_columns = [] -%}
        {%- for name in contract_names -%}
            {%- do empty_columns.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {%- do inputs.append({'relation': '(select ' ~ (empty_columns | join(', '))
            ~ ', cast(null as ' ~ dbt.type_string() ~ ') as filename, cast(null as bigint) as file_row_number where false)',
            'source_system': 'landing_zone', 'quality_table': table_name, 'files': none, 'is_adapter': false,
            'raw_types': {}}) -%}
    {%- endif -%}
    {%- for input in inputs -%}
        {%- do input.update({'prefix': '' if inputs | length == 1 else 'in' ~ loop.index0 ~ '_'}) -%}
        {%- do input.update({'typed_exprs': cx_stage_typed_expressions(columns, input.raw_types)}) -%}
        {%- for name in input.get('hashed_columns', []) -%}
            {#- delivered hashed by the adapter's mapping (the first reader of its raw files) -#}
            {%- do input.typed_exprs.update({name: adapter.quote(name ~ '_hash')}) -%}
        {%- endfor -%}
        {%- if input.is_adapter -%}
            {%- do input.update({'extra_exprs': cx_stage_typed_expressions(extra_columns, input.raw_types)}) -%}
        {%- endif -%}
        {#- the columns a quarantined row's raw JSON keeps: the contract's and the file's own (load_date
            partition, file name, row number); an unknown extra column is left out, since it may hold personal
            data nobody has declared (SPEC §7). The raw file keeps it, and _source_file / _file_row_number point
            at it. An adapter's row keeps its line, personal data masked by its mapping. -#}
        {%- set raw_names = [] -%}
        {%- for name in ((input.raw_types.keys() | list) if input.raw_types else contract_names) -%}
            {%- if name | lower in contract_names or name | lower in ('load_date', 'filename', 'file_row_number') -%}
                {%- do raw_names.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do input.update({'raw_names': raw_names}) -%}
    {%- endfor -%}
    {%- set raw_types = inputs[0].raw_types -%}
    {#- the columns stored (SPEC §7): a pii column under its stored_as name (a hash), or not at all -#}
    {%- set stored_columns = columns | rejectattr('stored_as', 'none') | list -%}
    {%- set timestamp_columns = columns | selectattr('cx_type', 'equalto', 'timestamp') | map(attribute='name') | list -%}
    {%- set event_timestamps = timestamp_columns | reject('equalto', '_loaded_at') | list -%}
    {%- set reasons = [] -%}
    {#- every base model is incremental. `this is not none` first: a unit test has a `this` only when it gives
        one (the nightly path's test does, with is_incremental overridden), and dbt's is_incremental() reads it -#}
    {%- set incremental_run = this is not none and is_incremental() -%}
    {%- set key_columns = pk | map('lower') | list -%}
    {%- set orphan_check = meta.get('orphan_column') and orphan_parent is not none -%}

    {#- missing_key: a null or empty (after trim) primary key column, whatever its type -#}
    {%- set checks = [] -%}
    {%- for k in pk -%}
        {%- do checks.append("coalesce(" ~ cx_trim("cast(" ~ adapter.quote(k) ~ " as " ~ dbt.type_string() ~ ")") ~ ", '') = ''") -%}
    {%- endfor -%}
    {%- do reasons.append(('missing_key', checks)) -%}

    {#- missing_value: a null in a required column (a number or boolean that does not cast counts as null) -#}
    {%- set checks = [] -%}
    {%- for c in columns if c.required -%}
        {%- if c.cx_type in ('double', 'decimal', 'boolean') -%}
            {%- do checks.append("t__" ~ c.name ~ " is null") -%}
        {%- else -%}
            {%- do checks.append(adapter.quote(c.name) ~ " is null") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do reasons.append(('missing_value', checks)) -%}

    {#- invalid_timestamp: delivered (as text) but empty or unparseable -#}
    {%- set checks = [] -%}
    {%- for name in timestamp_columns -%}
        {%- do checks.append("(" ~ adapter.quote(name) ~ " is not null and t__" ~ name ~ " is null)") -%}
    {%- endfor -%}
    {%- do reasons.append(('invalid_timestamp', checks)) -%}

    {#- unknown_enum: outside the contract's list after trim + lower case; a currency missing from the seed -#}
    {%- set checks = [] -%}
    {%- for c in columns -%}
        {%- if c.cx_type == 'enum' -%}
            {%- do checks.append("(t__" ~ c.name ~ " is not null and t__" ~ c.name ~ " not in ('"
                ~ (c.accepted_values | join("', '")) ~ "'))") -%}
        {%- elif c.cx_type == 'currency' -%}
            {%- do checks.append("(t__" ~ c.name ~ " is not null and t__" ~ c.name
                ~ " not in (select lower(" ~ cx_trim('currency') ~ ") from " ~ currency_relation ~ "))") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do reasons.append(('unknown_enum', checks)) -%}

    {#- time_order: ends before it starts -#}
    {%- set checks = [] -%}
    {%- if meta.get('time_order') -%}
        {%- do checks.append("t__" ~ meta.time_order[1] ~ " < t__" ~ meta.time_order[0]) -%}
    {%- endif -%}
    {%- do reasons.append(('time_order', checks)) -%}

    {#- after_load: a timestamp later than the row's own _loaded_at + 1 day -#}
    {%- set checks = [] -%}
    {%- if meta.get('after_load_check') -%}
        {%- for name in event_timestamps -%}
            {%- do checks.append("t__" ~ name ~ " > " ~ dbt.dateadd('day', 1, 't___loaded_at')) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do reasons.append(('after_load', checks)) -%}

    {#- score_out_of_range: score outside [scale_min, scale_max], or an empty scale -#}
    {%- set checks = [] -%}
    {%- if meta.get('score_check') -%}
        {%- do checks.append("t__scale_min >= t__scale_max") -%}
        {%- do checks.append("t__score < t__scale_min") -%}
        {%- do checks.append("t__score > t__scale_max") -%}
    {%- endif -%}
    {%- do reasons.append(('score_out_of_range', checks)) -%}

    {#- malformed_json: attributes that do not parse as a JSON object -#}
    {%- set checks = [] -%}
    {%- for c in columns if c.cx_type == 'json' -%}
        {%- do checks.append("(t__" ~ c.name ~ " is not null and not " ~ cx_is_json_object("t__" ~ c.name) ~ ")") -%}
    {%- endfor -%}
    {%- do reasons.append(('malformed_json', checks)) -%}

    {#- negative_amount -#}
    {%- set checks = [] -%}
    {%- for c in columns if c.non_negative -%}
        {%- do checks.append("t__" ~ c.name ~ " < 0") -%}
    {%- endfor -%}
    {%- do reasons.append(('negative_amount', checks)) -%}

    {#- orphan: a child whose parent is not an accepted row -#}
    {%- set checks = [] -%}
    {%- if orphan_check -%}
        {#- an incremental run looks the parents up among those its rows name (orphan_parents, below) -#}
        {%- do checks.append(cx_not_in_parent(
            "t__" ~ meta.orphan_column,
            meta.orphan_column,
            'orphan_parents' if incremental_run else orphan_parent,
        )) -%}
    {%- endif -%}
    {%- do reasons.append(('orphan', checks)) -%}
    {%- for reason, _ in reasons if reason not in cx_quarantine_reasons() -%}
        {{ exceptions.raise_compiler_error("cx_stage_source checks '" ~ reason ~ "', which is not in cx_quarantine_reasons()") }}
    {%- endfor -%}

    {#- each contract column's typed expression, rendered once per input: the pipeline below and the full
        refresh's key pre-filter use the same ones -#}
    {%- set typed_exprs = inputs[0].typed_exprs -%}
    {%- set pii_replacements = {} -%}
    {%- for c in columns if c.pii -%}
        {%- if c.pii == 'name' and c.stored_as -%}
            {%- do pii_replacements.update({c.name | lower: cx_pii_hash(adapter.quote(c.name), 'name')}) -%}
        {%- else -%}
            {%- do pii_replacements.update({c.name | lower: 't__' ~ c.name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set typed_key = [] -%}
    {%- for k in pk -%}{%- do typed_key.append(typed_exprs[k]) -%}{%- endfor -%}
    {%- set raw_key_hash = cx_key_hash(typed_key) -%}
    {#- the typing and checking pipeline runs on every new row; a two-pass full refresh runs it a second time on
        the rows of keys delivered more than once (dup_*), to rank them without materializing every row -#}
    {%- set two_pass = rank_in_second_pass and not incremental_run
        and inputs | length == 1 and not inputs[0].is_adapter -%}
    {%- set pipelines = [] -%}
    {%- for input in inputs -%}
        {%- do pipelines.append((input.prefix, input.prefix ~ 'raw_rows', input)) -%}
    {%- endfor -%}
    {%- if two_pass -%}
        {%- do pipelines.append(('dup_', 'dup_raw_rows', inputs[0])) -%}
    {%- endif -%}
    {%- set raw_relation = inputs[0].relation -%}

with
{%- for input in inputs %}

{{ input.prefix }}raw_rows as (
    -- {{ input.source_system }}: {{ input.quality_table }}
    select * from {{ input.relation }}
    {%- if incremental_run and input.files %}
    {%- set new_files = cx_new_source_files(input.files, input.files_relation) %}
    -- incremental: only the files not yet in this table
    where {% if new_files %}filename in ('{{ new_files | join("', '") }}'){% else %}false{% endif %}
    {%- endif %}
),
{%- endfor %}
{%- if two_pass %}

delivered_key_hashes as (
    -- keys delivered more than once, valid or not (a superset of the keys with more than one valid delivery),
    -- from a second read of the key columns alone; hashed first, as in dup_key_hashes
    select {{ raw_key_hash }} as _key_hash
    from {{ raw_relation }}
    group by {{ raw_key_hash }}
    having count(*) > 1
),

dup_raw_rows as (
    -- the raw rows of those keys: typed and checked a second time (dup_new_rows), a fraction of the table
    select *
    from {{ raw_relation }}
    where {{ raw_key_hash }} in (select delivered_key_hashes._key_hash from delivered_key_hashes)
),
{%- endif %}
{%- if incremental_run and orphan_check %}

orphan_parent_keys as (
    -- the parents tonight's rows name (typed as the checks type them), and those of the stored orphans
    select distinct {{ meta.orphan_column }}
    from (
        {%- for input in inputs %}
        select {{ input.typed_exprs[meta.orphan_column] }} as {{ meta.orphan_column }}
        from {{ input.prefix }}raw_rows
        union all
        {%- endfor %}
        select {{ meta.orphan_column }}
        from {{ this }}
        where _quarantine_reason = 'orphan'
    ) as named_parents
),

orphan_parents as (
    -- those of them that are accepted, read in one pass over the parents: the orphan check and the adoption of
    -- stored orphans look parents up among the few thousand a night names, not among all of them (each lookup
    -- of all 7.4 M contacts cost 0.85 s of a one-day night at L). A join, so the engine builds it from the
    -- smaller side.
    select parent_rows.{{ meta.orphan_column }}
    from {{ orphan_parent }} as parent_rows
    inner join orphan_parent_keys
        on parent_rows.{{ meta.orphan_column }} = orphan_parent_keys.{{ meta.orphan_column }}
),
{%- endif %}

{%- for pipeline_prefix, pipeline_input, input in pipelines %}

{{ pipeline_prefix }}typed as (
    select
        {{ pipeline_input }}.*,
        {%- for c in columns %}
        {{ input.typed_exprs[c.name] }} as t__{{ c.name }},
        {%- endfor %}
        {%- if has_adapters %}
        '{{ input.source_system }}' as t__source_system,
        '{{ input.quality_table }}' as t___source_table,
        {{ '_excluded_reason' if input.is_adapter else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as t___excluded_reason,
        {{ 'coalesce(_is_malformed, false)' if input.is_adapter else 'false' }} as t___is_malformed,
        {{ '_mapping_reason' if input.mapping_reasons else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as t___mapping_reason,
        {%- for e in extra_columns %}
        {%- if input.is_adapter and e.name in input.own_extra_columns %}
        {{ input.extra_exprs[e.name] }} as t__{{ e.name }},
        {%- else %}
        cast(null as {{ {'double': 'double', 'boolean': dbt.type_boolean(), 'timestamp': dbt.type_timestamp()}.get(e.cx_type, dbt.type_string()) }}) as t__{{ e.name }},
        {%- endif %}
        {%- endfor %}
        {%- endif %}
        {%- if 'load_date' in input.raw_types %}
        coalesce(cast(load_date as date), cast({{ cx_parse_timestamp('_loaded_at', input.raw_types.get('_loaded_at')) }} as date))
            as t___load_date
        {%- else %}
        cast({{ cx_parse_timestamp('_loaded_at', input.raw_types.get('_loaded_at')) }} as date) as t___load_date
        {%- endif %}
    from {{ pipeline_input }}
),

{{ pipeline_prefix }}checked as (
    select
        *,
        case
            {%- if has_adapters %}
            -- SPEC §8.1: a record that is no customer's contact is excluded, not checked
            when t___excluded_reason is not null then null
            {%- endif %}
            {%- if input.is_adapter %}
            -- a line that is not a JSON object has no columns to check
            when t___is_malformed then 'malformed_json'
            {%- endif %}
            {%- if input.mapping_reasons %}
            -- a SPEC §6 reason only the platform's own model shows (e.g. a Zendesk ticket without a requester)
            when t___mapping_reason is not null then t___mapping_reason
            {%- endif %}
            {%- for reason, reason_checks in reasons if reason_checks %}
            when {{ reason_checks | join('\n                or ') }}
                then '{{ reason }}'
            {%- endfor %}
        end as t___quarantine_reason
    from {{ pipeline_prefix }}typed
),

{{ pipeline_prefix }}new_rows as (
    select
        {%- for c in stored_columns %}
        t__{{ c.name }} as {{ adapter.quote(c.stored_as) }},
        {%- endfor %}
        {%- for column in adapter_columns %}
        t__{{ column }} as {{ adapter.quote(column) }},
        {%- endfor %}
        t___load_date as _load_date,
        -- the key as delivered, for quarantined rows only: valid rows have it in their typed key columns, and
        -- storing a second copy of every key cost 20 % of the events' staging (stg_quality__row_statuses
        -- renders it for them)
        case
            when t___quarantine_reason is not null
                then concat_ws('|', {% for k in pk %}coalesce({{ cx_trim('cast(' ~ adapter.quote(k) ~ ' as ' ~ dbt.type_string() ~ ')') }}, ''){{ ', ' if not loop.last }}{% endfor %})
        end as _record_key,
        filename as _source_file,
        file_row_number as _file_row_number,
        t___quarantine_reason as _quarantine_reason,
        {%- if has_adapters %}
        t___excluded_reason as _excluded_reason,
        {%- endif %}
        case
            when t___quarantine_reason is not null
                {%- if input.is_adapter %}
                then {{ cx_row_to_json(['line', 'filename'], {'line': '_raw_line'}) }}
                {%- else %}
                then {{ cx_row_to_json(input.raw_names, pii_replacements) }}
                {%- endif %}
        end as _raw_row
    from {{ pipeline_prefix }}checked
),
{%- endfor %}
{%- if inputs | length > 1 %}

new_rows as (
    {%- for input in inputs %}
    select * from {{ input.prefix }}new_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- endif %}

{%- if incremental_run %}

{%- if orphan_check %}

orphans_adopted as {{ cx_cte_materialized() }} (
    -- stored orphans whose parent has been accepted since: they pass every check now (rows, by their position)
    select
        {{ key_columns | join(', ') }},
        _source_file,
        _file_row_number
    from {{ this }}
    where
        _quarantine_reason = 'orphan'
        and {{ meta.orphan_column }} in (select orphan_parents.{{ meta.orphan_column }} from orphan_parents)
),
{%- endif %}

rerank_keys as (
    -- the keys delivered tonight{{ ' and the keys of the adopted orphans' if orphan_check }}
    select {{ key_columns | join(', ') }} from new_rows
    {%- if orphan_check %}
    union
    select {{ key_columns | join(', ') }} from orphans_adopted
    {%- endif %}
),

stored_rows as (
    -- the stored rows of those keys, re-ranked with the new rows. One semi join on the key (no OR of two
    -- subqueries, no per-row lookup of the parent): DuckDB pushes it into the scan of the stored rows as a
    -- filter, where the old form read every stored row of every column (fixes.md, #15).
    select
        {%- for c in stored_columns %}
        stored.{{ adapter.quote(c.stored_as) }},
        {%- endfor %}
        {%- for column in adapter_columns %}
        stored.{{ adapter.quote(column) }},
        {%- endfor %}
        stored._load_date,
        {%- set stored_tail = ['_record_key', '_source_file', '_file_row_number', '_quarantine_reason']
            + (['_excluded_reason'] if has_adapters else []) + ['_raw_row'] %}
        {%- for column in stored_tail %}
        {%- if orphan_check and column in ('_record_key', '_quarantine_reason', '_raw_row') %}
        {%- if column == '_record_key' %}
        -- an adopted orphan is valid now: no reason, and no delivered key or raw row (quarantined rows only)
        {%- endif %}
        case when orphans_adopted._source_file is not null then null else stored.{{ column }} end as {{ column }}
        {{- ',' if not loop.last }}
        {%- else %}
        stored.{{ column }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ this }} as stored
    {%- if orphan_check %}
    left join orphans_adopted
        on
            stored._source_file = orphans_adopted._source_file
            and stored._file_row_number = orphans_adopted._file_row_number
    {%- endif %}
    where
        (stored.{{ key_columns | join(', stored.') }}) in (select {{ key_columns | join(', ') }} from rerank_keys)
),

candidate_rows as {{ cx_cte_materialized() }} (
    select * from new_rows
    union all
    select * from stored_rows
),
{%- elif two_pass %}

candidate_rows as (
    -- every row streams once from the raw files into the table; only the rows of keys delivered more than once
    -- are ranked (dups_ranked, from their second pass dup_new_rows)
    select * from new_rows
),
{%- else %}

candidate_rows as {{ cx_cte_materialized() }} (
    select * from new_rows
),
{%- endif %}

{%- set quoted_pk = [] %}
{%- for k in pk %}{% do quoted_pk.append(adapter.quote(k)) %}{% endfor %}
{%- if not two_pass %}

dup_key_hashes as (
    -- keys with more than one valid delivery: only these need ranking (almost every key arrives once). Found by
    -- the hash of the key first (cx_key_hash): a key whose hash is shared is ranked with its real value below,
    -- so a hash collision only ranks a key that arrived once on its own (rank 1, as without the pre-filter).
    select {{ cx_key_hash(quoted_pk) }} as _key_hash
    from candidate_rows
    where _quarantine_reason is null
    group by {{ cx_key_hash(quoted_pk) }}
    having count(*) > 1
),
{%- endif %}

dups_ranked as (
    select
        _source_file,
        _file_row_number,
        row_number() over (
            partition by {{ quoted_pk | join(', ') }}
            order by _loaded_at desc, _source_file desc, _file_row_number desc
        ) as _delivery_rank
    {%- if two_pass %}
    from dup_new_rows
    where _quarantine_reason is null
    {%- else %}
    from candidate_rows
    where
        _quarantine_reason is null
        and {{ cx_key_hash(quoted_pk) }} in (select dup_key_hashes._key_hash from dup_key_hashes)
    {%- endif %}
),

final as (
    -- a valid row is accepted when it is its key's only valid delivery or ranks first among them
    select
        {%- for c in stored_columns %}
        candidate_rows.{{ adapter.quote(c.stored_as) }},
        {%- endfor %}
        {%- for column in adapter_columns %}
        candidate_rows.{{ adapter.quote(column) }},
        {%- endfor %}
        candidate_rows._load_date,
        candidate_rows._record_key,
        candidate_rows._source_file,
        candidate_rows._file_row_number,
        case
            {%- if has_adapters %}
            when candidate_rows._excluded_reason is not null then 'excluded'
            {%- endif %}
            when candidate_rows._quarantine_reason is not null then 'quarantined'
            when coalesce(dups_ranked._delivery_rank, 1) = 1 then 'accepted'
            else 'superseded'
        end as _status,
        candidate_rows._quarantine_reason,
        {%- if has_adapters %}
        candidate_rows._excluded_reason,
        {%- endif %}
        candidate_rows._raw_row,
        {{ cx_batch_at() }} as _batch_at
    from candidate_rows
    left join dups_ranked
        on
            candidate_rows._source_file = dups_ranked._source_file
            and candidate_rows._file_row_number = dups_ranked._file_row_number
)

select * from final
    {%- endif -%}
{%- endmacro %}
