{% macro cx_zendesk_satisfaction_ratings() -%}
    {#- SPEC §8.4: each change of a ticket's satisfaction_score to good or bad (ticket_field_history) is a csat
    survey response on Zendesk's 2-point scale (good 2, bad 1; §4.5's rescaling makes them 5 and 1), mapped onto
    SPEC §2's `survey_responses` columns as text for base_platform__survey_responses (cx_stage_source).
    response_id = zendesk:<ticket id>:<updated as YYYY-MM-DDTHH:MM:SS>; re-deliveries of one change are ordered by
    _fivetran_synced (the table has no updated_at). The rows read are the ones the registry's `rows_where` names
    (macros/cx_platform_adapters.sql; scripts/ops counts the same rows for conservation). The contact is the
    ticket's; the customer the requester's CRM id field as of the rating (an identity matched by e-mail reaches
    the response through its contact). A rating of a ticket that was deleted or merged away by the day the
    rating was synced is excluded with that reason (SPEC §8.4: the comments and ratings of excluded tickets);
    the ticket's state is read as of that day, so a night maps a rating as a full refresh does. -#}
{%- set rows_where = cx_platform_adapters().zendesk.objects.satisfaction_ratings.rows_where -%}
{%- set text = dbt.type_string() -%}
{%- set customer_id_field = var('zendesk_customer_id_field') %}

with

ratings as (
    select
        ticket_id,
        lower({{ cx_trim('value') }}) as value,
        updated,
        user_id,
        _fivetran_synced,
        filename,
        file_row_number
    from {{ cx_platform_table('zendesk', 'ticket_field_history') }}
    where
        {%- for column, values in rows_where.items() %}
        lower({{ cx_trim(column) }}) in ('{{ values | join("', '") }}')
        {%- if not loop.last %} and{% endif %}
        {%- endfor %}
),

ticket_versions as (
    select
        id as ticket_id,
        updated_at,
        requester_id,
        coalesce(_fivetran_deleted, false) or lower({{ cx_trim('status') }}) = 'deleted' as is_deleted,
        merged_ticket_ids,
        _fivetran_synced,
        cast(_fivetran_synced as date) as synced_on
    from {{ cx_platform_table('zendesk', 'ticket') }}
),

tickets_as_of as (
    -- each rating's ticket as of the day the rating was synced: its latest version synced by then
    select
        ratings.ticket_id,
        ratings.updated,
        ratings._fivetran_synced,
        ticket_versions.requester_id,
        ticket_versions.is_deleted,
        row_number() over (
            partition by ratings.ticket_id, ratings.updated, ratings._fivetran_synced
            order by ticket_versions.updated_at desc
        ) as version_rank
    from ratings
    inner join ticket_versions
        on
            ratings.ticket_id = ticket_versions.ticket_id
            and ticket_versions.synced_on <= cast(ratings._fivetran_synced as date)
),

merges as (
    {{ cx_zendesk_merges('ticket_versions') }}
),

requesters as (
    select
        id as user_id,
        {{ adapter.quote(customer_id_field) }} as customer_id_value,
        updated_at
    from {{ cx_platform_table('zendesk', 'user') }}
),

requester_as_of as (
    -- the requester's latest version updated by the rating
    select
        tickets_as_of.ticket_id,
        tickets_as_of.updated,
        tickets_as_of._fivetran_synced,
        requesters.customer_id_value,
        row_number() over (
            partition by tickets_as_of.ticket_id, tickets_as_of.updated, tickets_as_of._fivetran_synced
            order by requesters.updated_at desc
        ) as version_rank
    from tickets_as_of
    inner join requesters
        on
            tickets_as_of.requester_id = requesters.user_id
            and requesters.updated_at <= tickets_as_of.updated
    where tickets_as_of.version_rank = 1
),

mapped as (
    select
        'zendesk:' || cast(ratings.ticket_id as {{ text }}) || ':'
        || {{ dbt.replace('substring(cast(ratings.updated as ' ~ text ~ '), 1, 19)', "' '", "'T'") }} as response_id,
        'zendesk:' || cast(ratings.ticket_id as {{ text }}) as contact_id,
        nullif({{ cx_trim('cast(requester_as_of.customer_id_value as ' ~ text ~ ')') }}, '') as customer_id,
        'csat' as survey_type,
        case ratings.value when 'good' then '2' when 'bad' then '1' end as score,
        '1' as scale_min,
        '2' as scale_max,
        cast(ratings.updated as {{ text }}) as responded_at,
        cast(ratings._fivetran_synced as {{ text }}) as _loaded_at,
        false as _is_malformed,
        case
            when tickets_as_of.is_deleted then 'deleted'
            when merges.merged_ticket_id is not null then 'merged'
        end as _excluded_reason,
        cast(null as {{ text }}) as _mapping_reason,
        {{ cx_row_to_json(['ticket_id', 'field_name', 'value', 'updated'],
            {'field_name': "'satisfaction_score'", 'value': 'ratings.value', 'ticket_id': 'ratings.ticket_id',
                'updated': 'ratings.updated'}) }} as _raw_line,
        ratings.filename,
        ratings.file_row_number
    from ratings
    left join tickets_as_of
        on
            ratings.ticket_id = tickets_as_of.ticket_id
            and ratings.updated = tickets_as_of.updated
            and ratings._fivetran_synced = tickets_as_of._fivetran_synced
            and tickets_as_of.version_rank = 1
    left join requester_as_of
        on
            ratings.ticket_id = requester_as_of.ticket_id
            and ratings.updated = requester_as_of.updated
            and ratings._fivetran_synced = requester_as_of._fivetran_synced
            and requester_as_of.version_rank = 1
    left join merges
        on
            ratings.ticket_id = merges.merged_ticket_id
            and merges.merged_synced_on <= cast(ratings._fivetran_synced as date)
)

select * from mapped
{%- endmacro %}
