{#- Every delivered Salesforce case_history row with its SPEC §6 / §8.1 status, in the shape of
    stg_quality__row_statuses (which unions it, as table salesforce.case_history), so a history row is never lost
    silently: history feeds no SPEC §2 table (a case's agent connect, queue, transfers and reopens are read from it),
    but each row is accounted for. accepted: its case has an accepted version; superseded: an earlier delivery of the
    same history id; excluded: deleted in Salesforce (reason deleted), or its case was excluded (its reason: deleted,
    merged, case_of_session); quarantined as orphan: no valid version of its case. raw_row (quarantined rows): ids,
    field and time, never the values (they may name people). A view: recomputed at every build. -#}
{{ config(materialized='view') }}
with

history as (
    select * from {{ cx_platform_table('salesforce', 'case_history') }}
),

base as (
    select * from {{ ref('base_platform__contacts') }}
),

cases as (
    -- per case: has a version been accepted, and the reason of its latest excluded version
    select
        contact_id,
        max(case when _status = 'accepted' then 1 else 0 end) = 1 as is_accepted,
        max(case when _status = 'excluded' then _excluded_reason end) as excluded_reason
    from base
    where
        source_system = 'salesforce' and salesforce_object = 'case'
        {%- if 'salesforce' not in cx_enabled_sources() %}
            and false
        {%- endif %}
    group by contact_id
),

ranked as (
    select
        history.*,
        row_number() over (
            partition by history.id
            order by history._fivetran_synced desc, history.filename desc, history.file_row_number desc
        ) as delivery_rank
    from history
),

classified as (
    select
        ranked.*,
        case
            when ranked.delivery_rank > 1 then 'superseded'
            when coalesce(ranked.is_deleted, false) or coalesce(ranked._fivetran_deleted, false) then 'excluded'
            when cases.is_accepted then 'accepted'
            when cases.excluded_reason is not null then 'excluded'
            else 'quarantined'
        end as status,
        case
            when ranked.delivery_rank > 1 then null
            when coalesce(ranked.is_deleted, false) or coalesce(ranked._fivetran_deleted, false) then 'deleted'
            when cases.is_accepted then null
            when cases.excluded_reason is not null then cases.excluded_reason
            else 'orphan'
        end as reason
    from ranked
    left join cases
        on ranked.case_id = cases.contact_id
),

final as (
    select
        'salesforce.case_history' as table_name,
        cast(id as {{ dbt.type_string() }}) as record_key,
        cast(_fivetran_synced as date) as load_date,
        _fivetran_synced as loaded_at,
        status,
        reason,
        filename as source_file,
        file_row_number,
        case
            when status = 'quarantined'
                then {{ cx_row_to_json(['id', 'case_id', 'field', 'created_date', 'filename']) }}
        end as raw_row
    from classified
)

select * from final
