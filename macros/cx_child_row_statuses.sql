{% macro cx_child_row_statuses(source_name, table_name, parent_key, parent_filter, raw_columns) -%}
    {#- The body of a model that accounts for every delivered row of a platform table that feeds no SPEC §2 table
        but belongs to a contact (Zendesk's ticket comments, Salesforce's case history), in the shape of
        stg_quality__row_statuses, which unions it (registry: maps_to none, statuses_model): accepted (its parent
        contact has an accepted version); superseded (an earlier delivery of the same id: the latest
        _fivetran_synced, then the file and row read last, wins); excluded (deleted in the platform, reason
        deleted; or its parent was excluded, with the parent's reason); quarantined as orphan (no valid version of
        its parent). `parent_key`: the row's parent as a contact_id (an expression over `ranked`, the delivered
        rows); `parent_filter`: which base_platform__contacts rows are such parents; `raw_columns`: the columns a quarantined row's raw_row keeps (never free text or personal data). -#}
    {%- set quality_table = source_name ~ '.' ~ table_name -%}
    {%- set deleted = "coalesce(ranked._fivetran_deleted, false)" ~ (
        " or coalesce(ranked.is_deleted, false)" if 'is_deleted' in cx_platform_columns(source_name)[table_name] else ""
    ) %}
with

delivered as (
    select * from {{ cx_platform_table(source_name, table_name) }}
),

base as (
    select * from {{ ref('base_platform__contacts') }}
),

parents as (
    -- per parent: has a version been accepted, and the reason of its latest excluded version
    select
        contact_id,
        max(case when _status = 'accepted' then 1 else 0 end) = 1 as is_accepted,
        max(case when _status = 'excluded' then _excluded_reason end) as excluded_reason
    from base
    where
        source_system = '{{ source_name }}' and {{ parent_filter }}
        {%- if source_name not in cx_enabled_sources() %}
            -- the adapter is off: no row can be accepted, and a constant lets the planner skip the scan
            and false
        {%- endif %}
    group by contact_id
),

ranked as (
    select
        delivered.*,
        row_number() over (
            partition by delivered.id
            order by delivered._fivetran_synced desc, delivered.filename desc, delivered.file_row_number desc
        ) as delivery_rank
    from delivered
),

classified as (
    select
        ranked.*,
        case
            when ranked.delivery_rank > 1 then 'superseded'
            when {{ deleted }} then 'excluded'
            when parents.is_accepted then 'accepted'
            when parents.excluded_reason is not null then 'excluded'
            else 'quarantined'
        end as status,
        case
            when ranked.delivery_rank > 1 then null
            when {{ deleted }} then 'deleted'
            when parents.is_accepted then null
            when parents.excluded_reason is not null then parents.excluded_reason
            else 'orphan'
        end as reason
    from ranked
    left join parents
        on {{ parent_key }} = parents.contact_id
),

final as (
    select
        '{{ quality_table }}' as table_name,
        cast(id as {{ dbt.type_string() }}) as record_key,
        cast(_fivetran_synced as date) as load_date,
        _fivetran_synced as loaded_at,
        status,
        reason,
        filename as source_file,
        file_row_number,
        case
            when status = 'quarantined' then {{ cx_row_to_json(raw_columns) }}
        end as raw_row
    from classified
)

select * from final
{%- endmacro %}
