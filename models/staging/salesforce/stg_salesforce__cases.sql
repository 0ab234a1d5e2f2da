{#- Every Salesforce case that is a case of the service (SPEC §8.5), as of its latest delivery: the accepted ones
    (contacts of their own) and the ones represented by a messaging session or voice call (excluded as
    case_of_session, which lend those their customer, intent and disposition: stg_salesforce__contacts). Merged,
    deleted and quarantined cases are not here. What Salesforce's own case reports count
    (mart_salesforce_reconciliation) and what the sessions and calls borrow. Keyed by case_id. A view. -#}
{{ config(materialized='view') }}
with

base as (
    select * from {{ ref('base_platform__contacts') }}
    where
        source_system = 'salesforce'
        and salesforce_object = 'case'
        and (_status = 'accepted' or (_status = 'excluded' and _excluded_reason = 'case_of_session'))
        {%- if 'salesforce' not in cx_enabled_sources() %}
            -- the adapter is off: no Salesforce row can be accepted, and a constant lets the planner skip the scan
            and false
        {%- endif %}
),

ranked as (
    select
        *,
        row_number() over (partition by contact_id order by _loaded_at desc, _source_file desc, _file_row_number desc)
            as delivery_rank
    from base
),

final as (
    select
        contact_id as case_id,
        _status = 'accepted' as is_contact,
        customer_id,
        channel,
        queue,
        intent,
        initiated_at,
        connected_to_agent_at,
        disconnected_at,
        disposition,
        customer_endpoint_hash,
        case_status,
        coalesce(case_is_closed, false) as is_closed,
        case_closed_at,
        owner_changes,
        reopens,
        _loaded_at,
        _load_date,
        _batch_at
    from ranked
    where delivery_rank = 1
)

select * from final
