{#- Every delivered Zendesk comment with its SPEC §6 / §8.1 status, in the shape of stg_quality__row_statuses (which
    unions it, as table zendesk.ticket_comment), so a comment is never lost silently: comments feed no SPEC §2 table
    (a ticket's first agent reply is read from them), but each is accounted for. accepted: its ticket has an
    accepted version; superseded: an earlier delivery of the same comment id; excluded: deleted in Zendesk (reason
    deleted), or its ticket was excluded (its reason: deleted, merged); quarantined as orphan: no valid version of
    its ticket (an unknown ticket, or one whose every version was quarantined). raw_row (quarantined rows): the ids,
    time and visibility, never the body (SPEC §7). A view: recomputed at every build from the ticket statuses. -#}
{{ config(materialized='view') }}
with

comments as (
    select * from {{ cx_platform_table('zendesk', 'ticket_comment') }}
),

base as (
    select * from {{ ref('base_platform__contacts') }}
),

tickets as (
    -- per ticket: has a version been accepted, and the reason of its latest excluded version
    select
        contact_id,
        max(case when _status = 'accepted' then 1 else 0 end) = 1 as is_accepted,
        max(case when _status = 'excluded' then _excluded_reason end) as excluded_reason
    from base
    where
        source_system = 'zendesk'
        {%- if 'zendesk' not in cx_enabled_sources() %}
            and false
        {%- endif %}
    group by contact_id
),

ranked as (
    select
        comments.*,
        row_number() over (
            partition by comments.id
            order by comments._fivetran_synced desc, comments.filename desc, comments.file_row_number desc
        ) as delivery_rank
    from comments
),

classified as (
    select
        ranked.*,
        case
            when ranked.delivery_rank > 1 then 'superseded'
            when coalesce(ranked._fivetran_deleted, false) then 'excluded'
            when tickets.is_accepted then 'accepted'
            when tickets.excluded_reason is not null then 'excluded'
            else 'quarantined'
        end as status,
        case
            when ranked.delivery_rank > 1 then null
            when coalesce(ranked._fivetran_deleted, false) then 'deleted'
            when tickets.is_accepted then null
            when tickets.excluded_reason is not null then tickets.excluded_reason
            else 'orphan'
        end as reason
    from ranked
    left join tickets
        on tickets.contact_id = 'zendesk:' || cast(ranked.ticket_id as {{ dbt.type_string() }})
),

final as (
    select
        'zendesk.ticket_comment' as table_name,
        cast(id as {{ dbt.type_string() }}) as record_key,
        cast(_fivetran_synced as date) as load_date,
        _fivetran_synced as loaded_at,
        status,
        reason,
        filename as source_file,
        file_row_number,
        case
            when status = 'quarantined'
                then {{ cx_row_to_json(['id', 'ticket_id', 'user_id', 'created', 'public', 'filename']) }}
        end as raw_row
    from classified
)

select * from final
