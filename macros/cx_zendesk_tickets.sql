{% macro cx_zendesk_tickets() -%}
    {#- SPEC §8.3, §8.4: each delivered Zendesk ticket version mapped onto SPEC §2's `contacts` columns, as text,
    for base_platform__contacts to validate, rank and store with the other sources' rows (cx_stage_source: one set
    of rules for every source). A ticket is one contact and its own attempt (`zendesk:<id>`).

    Every version is mapped **as of itself**: only the comments created, field changes made and user / group
    versions updated by the version's updated_at are read, and a merge counts once a surviving ticket's version
    listing it was synced by the day this version was. A version thus maps to the same row whenever it is read,
    which is what lets a nightly map only tonight's ticket files and still equal a full refresh (Zendesk bumps a
    ticket's updated_at on every comment and field change, so each change arrives with a new ticket version).

    A macro, not a view (cx_platform_mapping): the mapping hashes the requester's e-mail / phone, and a view's SQL,
    stored in the published file, would hold the hash salt (SPEC §7). docs/sources/zendesk.md has the mapping
    field by field. -#}
{%- set id_text = 'cast({} as ' ~ dbt.type_string() ~ ')' -%}
{%- set intent_field = var('zendesk_intent_field') -%}
{%- set customer_id_field = var('zendesk_customer_id_field') -%}
{#- the intents seed, named at parse time (the DAG); read only when the adapter is on (cx_platform_table) -#}
{%- set intents = ref('intents') if not execute or 'zendesk' in cx_enabled_sources()
    else '(select cast(null as ' ~ dbt.type_string() ~ ') as intent where false)' %}

with

ticket_versions as (
    select
        id as ticket_id,
        created_at,
        updated_at,
        lower({{ cx_trim('status') }}) as status,
        via_channel,
        requester_id,
        assignee_id,
        group_id,
        merged_ticket_ids,
        {%- if intent_field %}
        {{ adapter.quote(intent_field) }} as intent_field_value,
        {%- endif %}
        coalesce(_fivetran_deleted, false) as is_deleted,
        _fivetran_synced,
        filename,
        file_row_number
    from {{ cx_platform_table('zendesk', 'ticket') }}
),

merges as (
    {{ cx_zendesk_merges('ticket_versions') }}
),

comments as (
    -- each comment once (its latest delivery), with its author's role as of the comment
    select
        ticket_id,
        user_id,
        created,
        coalesce(public, false) as is_public
    from (
        select
            *,
            row_number() over (partition by id order by _fivetran_synced desc, filename desc, file_row_number desc)
                as delivery_rank
        from {{ cx_platform_table('zendesk', 'ticket_comment') }}
    ) as delivered
    where delivery_rank = 1 and not coalesce(_fivetran_deleted, false)
),

user_versions as (
    {{ cx_platform_versions('zendesk', 'user', 'user_id', {
        'role': 'lower(' ~ cx_trim('role') ~ ')',
        'email': 'email',
        'phone': 'phone',
        'customer_id_value': adapter.quote(customer_id_field),
    }) }}
),

group_versions as (
    {{ cx_platform_versions('zendesk', 'group', 'group_id', {'name': 'name'}) }}
),

agent_comments as (
    -- public comments by an agent or admin (their role when they wrote it)
    select
        comments.ticket_id,
        comments.created
    from comments
    inner join user_versions as authors
        on
            comments.user_id = authors.user_id
            and (authors.valid_from is null or authors.valid_from <= comments.created)
            and (authors.valid_to is null or authors.valid_to > comments.created)
    where comments.is_public and authors.role in ('agent', 'admin')
),

agent_comments_as_of as (
    select
        ticket_versions.ticket_id,
        ticket_versions.updated_at,
        min(case when agent_comments.created > ticket_versions.created_at then agent_comments.created end)
            as first_agent_reply_at,
        count(*) as public_agent_comments
    from ticket_versions
    inner join agent_comments
        on
            ticket_versions.ticket_id = agent_comments.ticket_id
            and agent_comments.created <= ticket_versions.updated_at
    group by ticket_versions.ticket_id, ticket_versions.updated_at
),

status_changes as (
    -- each change of the status field once, with the status it left (a reopen leaves solved for an open status)
    select
        ticket_id,
        updated,
        value as status,
        lag(value) over (partition by ticket_id order by updated) as previous_status
    from (
        select
            ticket_id,
            updated,
            lower({{ cx_trim('value') }}) as value,
            row_number() over (
                partition by ticket_id, updated order by _fivetran_synced desc, filename desc, file_row_number desc
            ) as delivery_rank
        from {{ cx_platform_table('zendesk', 'ticket_field_history') }}
        where field_name = 'status'
    ) as delivered
    where delivery_rank = 1
),

statuses_as_of as (
    select
        ticket_versions.ticket_id,
        ticket_versions.updated_at,
        min(case when status_changes.status = 'solved' then status_changes.updated end) as first_solved_at,
        max(case when status_changes.status = 'solved' then status_changes.updated end) as last_solved_at,
        min(case when status_changes.status = 'closed' then status_changes.updated end) as first_closed_at,
        count(
            case
                when status_changes.previous_status = 'solved'
                    and status_changes.status in ('new', 'open', 'pending', 'hold')
                    then 1
            end
        ) as reopens
    from ticket_versions
    inner join status_changes
        on
            ticket_versions.ticket_id = status_changes.ticket_id
            and status_changes.updated <= ticket_versions.updated_at
    group by ticket_versions.ticket_id, ticket_versions.updated_at
),

tags as (
    select distinct
        ticket_id,
        lower({{ cx_trim('tag') }}) as tag
    from {{ cx_platform_table('zendesk', 'ticket_tag') }}
),

ticket_tags as (
    -- the intent (SPEC §8.4: the alphabetically first tag that is an intent of the intents seed), bot, AI
    select
        tags.ticket_id,
        min(case when intents.intent is not null then tags.tag end) as intent_tag,
        max(case when tags.tag = '{{ var("zendesk_bot_tag") }}' then 1 else 0 end) = 1 as is_bot_handled,
        max(case when tags.tag = '{{ var("zendesk_ai_tag") }}' then 1 else 0 end) = 1 as is_ai_assisted
    from tags
    left join {{ intents }} as intents
        on tags.tag = intents.intent
    group by tags.ticket_id
),

ticket_schedules as (
    -- the schedule a ticket was first put on (business hours, mart_zendesk_reconciliation)
    select
        ticket_id,
        schedule_id
    from (
        select
            ticket_id,
            schedule_id,
            row_number() over (partition by ticket_id order by created_at, _fivetran_synced desc) as schedule_rank
        from {{ cx_platform_table('zendesk', 'ticket_schedule') }}
    ) as ranked
    where schedule_rank = 1
),

resolved as (
    select
        ticket_versions.*,
        requesters.customer_id_value,
        coalesce(requesters.email, requesters.phone) as requester_endpoint,
        groups.name as group_name,
        agent_comments_as_of.first_agent_reply_at,
        coalesce(agent_comments_as_of.public_agent_comments, 0) as public_agent_comments,
        statuses_as_of.first_solved_at,
        statuses_as_of.last_solved_at,
        statuses_as_of.first_closed_at,
        coalesce(statuses_as_of.reopens, 0) as reopens,
        ticket_tags.intent_tag,
        coalesce(ticket_tags.is_bot_handled, false) as is_bot_handled,
        coalesce(ticket_tags.is_ai_assisted, false) as is_ai_assisted,
        ticket_schedules.schedule_id,
        merges.merged_ticket_id is not null as is_merged
    from ticket_versions
    left join user_versions as requesters
        on
            ticket_versions.requester_id = requesters.user_id
            and (requesters.valid_from is null or requesters.valid_from <= ticket_versions.updated_at)
            and (requesters.valid_to is null or requesters.valid_to > ticket_versions.updated_at)
    left join group_versions as groups
        on
            ticket_versions.group_id = groups.group_id
            and (groups.valid_from is null or groups.valid_from <= ticket_versions.updated_at)
            and (groups.valid_to is null or groups.valid_to > ticket_versions.updated_at)
    left join agent_comments_as_of
        on
            ticket_versions.ticket_id = agent_comments_as_of.ticket_id
            and ticket_versions.updated_at = agent_comments_as_of.updated_at
    left join statuses_as_of
        on
            ticket_versions.ticket_id = statuses_as_of.ticket_id
            and ticket_versions.updated_at = statuses_as_of.updated_at
    left join ticket_tags
        on ticket_versions.ticket_id = ticket_tags.ticket_id
    left join ticket_schedules
        on ticket_versions.ticket_id = ticket_schedules.ticket_id
    left join merges
        on
            ticket_versions.ticket_id = merges.merged_ticket_id
            and merges.merged_synced_on <= cast(ticket_versions._fivetran_synced as date)
),

mapped as (
    select
        'zendesk:' || {{ id_text.format('ticket_id') }} as contact_id,
        'zendesk:' || {{ id_text.format('ticket_id') }} as initial_contact_id,
        cast(null as {{ dbt.type_string() }}) as previous_contact_id,
        nullif({{ cx_trim(id_text.format('customer_id_value')) }}, '') as customer_id,
        case
            when lower({{ cx_trim('via_channel') }}) = 'email' then 'email'
            when lower({{ cx_trim('via_channel') }}) in ('web', 'web_form', 'help_center', 'api') then 'web'
            when lower({{ cx_trim('via_channel') }}) = 'chat' then 'chat'
            when lower({{ cx_trim('via_channel') }}) in (
                'native_messaging', 'messaging', 'whatsapp', 'facebook', 'twitter', 'instagram_dm', 'sms',
                'mobile_sdk'
            ) then 'messaging'
            when lower({{ cx_trim('via_channel') }}) = 'voice' then 'voice'
            -- passed through: a channel nobody mapped fails the contract's check (unknown_enum)
            else via_channel
        end as channel,
        'inbound' as initiation_method,
        group_name as queue,
        'zendesk:' || {{ id_text.format('assignee_id') }} as agent_id,
        {%- if intent_field %}
        coalesce(nullif({{ cx_trim(id_text.format('intent_field_value')) }}, ''), intent_tag) as intent,
        {%- else %}
        intent_tag as intent,
        {%- endif %}
        {{ id_text.format('created_at') }} as initiated_at,
        {{ id_text.format('created_at') }} as enqueued_at,
        {{ id_text.format('first_agent_reply_at') }} as connected_to_agent_at,
        {{ id_text.format('coalesce(first_solved_at, first_closed_at, updated_at)') }} as disconnected_at,
        cast(null as {{ dbt.type_string() }}) as disconnect_reason,
        case when status in ('solved', 'closed') then 'resolved' else 'unresolved' end as disposition,
        -- SPEC §7: the mapping is the first reader of the requester's e-mail / phone, so it is hashed here
        {{ cx_pii_hash('requester_endpoint', 'endpoint') }} as customer_endpoint_hash,
        cast(null as {{ dbt.type_string() }}) as case_id,
        -- SPEC §8.1, §8.4: the ticket's updated_at orders its versions
        {{ id_text.format('updated_at') }} as _loaded_at,
        -- beside SPEC §2's columns (docs/sources/zendesk.md)
        case
            when is_bot_handled and status in ('solved', 'closed') and public_agent_comments = 0 then 'success'
            when is_bot_handled then 'failed'
        end as bot_outcome,
        {{ id_text.format('is_ai_assisted') }} as ai_assist,
        {{ id_text.format('last_solved_at') }} as last_solved_at,
        {{ id_text.format('reopens') }} as reopens,
        {{ id_text.format('public_agent_comments') }} as public_agent_comments,
        status as ticket_status,
        via_channel,
        'zendesk:' || {{ id_text.format('schedule_id') }} as schedule_id,
        false as _is_malformed,
        case
            when is_deleted or status = 'deleted' then 'deleted'
            when is_merged then 'merged'
        end as _excluded_reason,
        -- a ticket always has a requester in Zendesk: one without is a broken record (SPEC §6)
        case when requester_id is null then 'missing_value' end as _mapping_reason,
        -- the version for quarantine (SPEC §6), without personal data (SPEC §7): ids, status and times only
        {{ cx_row_to_json(
            ['id', 'created_at', 'updated_at', 'status', 'via_channel', 'requester_id', 'assignee_id', 'group_id',
                'merged_ticket_ids'],
            {'id': 'ticket_id'}
        ) }} as _raw_line,
        filename,
        file_row_number
    from resolved
)

select * from mapped
{%- endmacro %}
