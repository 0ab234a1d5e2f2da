{% macro cx_salesforce_cases() -%}
    {#- SPEC §8.3, §8.5: each delivered Salesforce case version mapped onto SPEC §2's `contacts` columns, as text,
    for base_platform__contacts to validate, rank and store with the other sources' rows (cx_stage_source). A case is
    one contact and its own attempt (contact_id = initial_contact_id = its id).

    Every version is mapped **as of itself** (its system_modstamp): the owner and status changes of case_history up
    to that instant, the queue names as they were then, and the messaging sessions and voice calls synced by the day
    it was; so a version maps to the same row whenever it is read, and a nightly that maps only tonight's case files
    equals a full refresh. Excluded (SPEC §8.5), in this order: merged (master_record_id set), deleted (is_deleted
    or _fivetran_deleted), case_of_session (a messaging session or voice call links to it: the session or call is
    the contact, and takes the case's customer, intent and disposition in stg_platform__contacts).

    A macro, not a view (cx_platform_mapping): the mapping hashes the supplied e-mail / phone (SPEC §7).
    docs/sources/salesforce.md has the mapping field by field. -#}
{%- set text = dbt.type_string() -%}
{%- set intent_field = var('salesforce_intent_field') -%}
{%- set unresolved = var('salesforce_unresolved_statuses') -%}
{%- set unresolved = [unresolved] if unresolved is string else unresolved %}

with

case_versions as (
    select
        id as case_id,
        contact_id as customer_id,
        origin,
        {{ cx_trim('status') }} as status,
        coalesce(is_closed, false) as is_closed,
        closed_date,
        created_date,
        owner_id,
        master_record_id,
        {{ adapter.quote(intent_field) }} as intent_value,
        coalesce(supplied_email, supplied_phone) as supplied_endpoint,
        system_modstamp,
        coalesce(is_deleted, false) or coalesce(_fivetran_deleted, false) as is_deleted,
        _fivetran_synced,
        filename,
        file_row_number
    from {{ cx_platform_table('salesforce', 'case') }}
),

owner_changes as (
    {{ cx_salesforce_history('Owner') }}
),

status_changes as (
    {{ cx_salesforce_history('Status') }}
),

queue_versions as (
    {{ cx_platform_versions('salesforce', 'group', 'queue_id', {'name': 'name'}, 'system_modstamp') }}
),

linked_cases as (
    -- the cases a messaging session or a voice call links to, and the first day such a link was synced
    select
        case_id,
        min(linked_on) as linked_on
    from (
        select
            case_id,
            cast(_fivetran_synced as date) as linked_on
        from {{ cx_platform_table('salesforce', 'messaging_session') }}
        where case_id is not null
        union all
        select
            related_record_id as case_id,
            cast(_fivetran_synced as date) as linked_on
        from {{ cx_platform_table('salesforce', 'voice_call') }}
        where {{ cx_salesforce_id_is('related_record_id', 'case') }}
    ) as links
    group by case_id
),

owners_as_of as (
    -- each owner change known at a case version, numbered in time order, and its user and its queue changes each
    -- numbered apart (one window expression per kind of owner id)
    select
        case_versions.case_id,
        case_versions.system_modstamp,
        owner_changes.changed_at,
        owner_changes.old_value,
        owner_changes.new_value,
        row_number() over (
            partition by case_versions.case_id, case_versions.system_modstamp
            order by owner_changes.changed_at, owner_changes.history_id
        ) as change_number,
        {%- for kind in ['user', 'queue'] %}
        case
            when {{ cx_salesforce_id_is('owner_changes.new_value', kind) }}
                then row_number() over (
                    partition by
                        case_versions.case_id,
                        case_versions.system_modstamp,
                        {{ cx_salesforce_id_is('owner_changes.new_value', kind) }}
                    order by owner_changes.changed_at, owner_changes.history_id
                )
        end as {{ kind }}_change_number{{ ',' if not loop.last }}
        {%- endfor %}
    from case_versions
    inner join owner_changes
        on
            case_versions.case_id = owner_changes.case_id
            and owner_changes.changed_at <= case_versions.system_modstamp
),

first_agents as (
    select
        case_id,
        system_modstamp,
        changed_at as first_agent_at,
        new_value as first_agent_id
    from owners_as_of
    where user_change_number = 1
),

owner_summaries as (
    -- the first owner (the first change's old value), the first queue that took it over, and the owner changes
    -- after the first agent (the reconciliation mart's reassignments; the events model's transfers)
    select
        owners_as_of.case_id,
        owners_as_of.system_modstamp,
        max(case when owners_as_of.change_number = 1 then owners_as_of.old_value end) as first_owner_id,
        max(case when owners_as_of.queue_change_number = 1 then owners_as_of.new_value end) as first_queue_change_id,
        count(case when owners_as_of.changed_at > first_agents.first_agent_at then 1 end) as owner_changes
    from owners_as_of
    left join first_agents
        on
            owners_as_of.case_id = first_agents.case_id
            and owners_as_of.system_modstamp = first_agents.system_modstamp
    group by owners_as_of.case_id, owners_as_of.system_modstamp
),

statuses_as_of as (
    -- reopens: a status change that leaves a closed status (is_closed is not in the history; the closed statuses are
    -- the ones a change to which the case version reports closed: Closed and the unresolved closing statuses)
    select
        case_versions.case_id,
        case_versions.system_modstamp,
        count(
            case
                when {{ cx_trim('status_changes.old_value') }} in ('Closed', '{{ unresolved | join("', '") }}')
                    and {{ cx_trim('status_changes.new_value') }} not in ('Closed', '{{ unresolved | join("', '") }}')
                    then 1
            end
        ) as reopens
    from case_versions
    inner join status_changes
        on
            case_versions.case_id = status_changes.case_id
            and status_changes.changed_at <= case_versions.system_modstamp
    group by case_versions.case_id, case_versions.system_modstamp
),

resolved as (
    select
        case_versions.*,
        first_agents.first_agent_at,
        first_agents.first_agent_id,
        coalesce(owner_summaries.owner_changes, 0) as owner_changes,
        coalesce(statuses_as_of.reopens, 0) as reopens,
        -- the first queue that owned the case: its first owner when that was a queue, else the first queue it was
        -- given to; a case never reassigned is owned by its current owner since creation
        case
            when {{ cx_salesforce_id_is('coalesce(owner_summaries.first_owner_id, case_versions.owner_id)', 'queue') }}
                then coalesce(owner_summaries.first_owner_id, case_versions.owner_id)
            else owner_summaries.first_queue_change_id
        end as first_queue_id,
        linked_cases.case_id is not null as is_linked
    from case_versions
    left join first_agents
        on
            case_versions.case_id = first_agents.case_id
            and case_versions.system_modstamp = first_agents.system_modstamp
    left join owner_summaries
        on
            case_versions.case_id = owner_summaries.case_id
            and case_versions.system_modstamp = owner_summaries.system_modstamp
    left join statuses_as_of
        on
            case_versions.case_id = statuses_as_of.case_id
            and case_versions.system_modstamp = statuses_as_of.system_modstamp
    left join linked_cases
        on
            case_versions.case_id = linked_cases.case_id
            and linked_cases.linked_on <= cast(case_versions._fivetran_synced as date)
),

named as (
    select
        resolved.*,
        queues.name as queue_name
    from resolved
    left join queue_versions as queues
        on
            resolved.first_queue_id = queues.queue_id
            and (queues.valid_from is null or queues.valid_from <= resolved.system_modstamp)
            and (queues.valid_to is null or queues.valid_to > resolved.system_modstamp)
),

mapped as (
    select
        case_id as contact_id,
        case_id as initial_contact_id,
        cast(null as {{ text }}) as previous_contact_id,
        nullif({{ cx_trim('customer_id') }}, '') as customer_id,
        {{ cx_salesforce_channel('origin') }} as channel,
        'inbound' as initiation_method,
        queue_name as queue,
        first_agent_id as agent_id,
        cast(intent_value as {{ text }}) as intent,
        cast(created_date as {{ text }}) as initiated_at,
        cast(created_date as {{ text }}) as enqueued_at,
        cast(first_agent_at as {{ text }}) as connected_to_agent_at,
        cast(coalesce(closed_date, system_modstamp) as {{ text }}) as disconnected_at,
        cast(null as {{ text }}) as disconnect_reason,
        {{ cx_salesforce_case_disposition('is_closed', 'status') }} as disposition,
        -- SPEC §7: the mapping is the first reader of the supplied e-mail / phone, so it is hashed here
        {{ cx_pii_hash('supplied_endpoint', 'endpoint') }} as customer_endpoint_hash,
        case_id,
        -- SPEC §8.1, §8.5: system_modstamp orders a case's versions
        cast(system_modstamp as {{ text }}) as _loaded_at,
        -- beside SPEC §2's columns (docs/sources/salesforce.md)
        'case' as salesforce_object,
        status as case_status,
        cast(is_closed as {{ text }}) as case_is_closed,
        cast(closed_date as {{ text }}) as case_closed_at,
        cast(owner_changes as {{ text }}) as owner_changes,
        cast(reopens as {{ text }}) as reopens,
        false as _is_malformed,
        case
            when nullif({{ cx_trim('master_record_id') }}, '') is not null then 'merged'
            when is_deleted then 'deleted'
            when is_linked then 'case_of_session'
        end as _excluded_reason,
        -- the version for quarantine (SPEC §6), without personal data (SPEC §7): ids, status and times only
        {{ cx_row_to_json(
            ['id', 'contact_id', 'origin', 'status', 'is_closed', 'closed_date', 'created_date', 'owner_id',
                'master_record_id', 'system_modstamp'],
            {'id': 'case_id', 'contact_id': 'customer_id'}
        ) }} as _raw_line,
        filename,
        file_row_number
    from named
)

select * from mapped
{%- endmacro %}

{% macro cx_salesforce_channel(origin) -%}
    {#- SPEC §8.5: a case's Origin as a SPEC §2 channel; a value nobody mapped is passed through, so the contract's
        check quarantines it (unknown_enum) instead of bucketing it. -#}
    {%- set value = 'lower(' ~ cx_trim(origin) ~ ')' -%}
    case
        when {{ value }} = 'email' then 'email'
        when {{ value }} = 'web' then 'web'
        when {{ value }} = 'phone' then 'voice'
        when {{ value }} = 'chat' then 'chat'
        when {{ value }} = 'messaging' then 'messaging'
        else {{ origin }}
    end
{%- endmacro %}

{% macro cx_salesforce_case_disposition(is_closed, status) -%}
    {#- SPEC §8.5: a closed case is resolved unless its status is one of var salesforce_unresolved_statuses; an open
        case, or one closed unresolved, is unresolved. -#}
    {%- set unresolved = var('salesforce_unresolved_statuses') -%}
    {%- set unresolved = [unresolved] if unresolved is string else unresolved -%}
    case
        when {{ is_closed }} and {{ cx_trim(status) }} not in ('{{ unresolved | join("', '") }}') then 'resolved'
        else 'unresolved'
    end
{%- endmacro %}
