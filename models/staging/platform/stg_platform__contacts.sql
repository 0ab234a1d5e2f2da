with

base as (
    select * from {{ ref('base_platform__contacts') }}
),

accepted as (
    select
        contact_id,
        initial_contact_id,
        previous_contact_id,
        customer_id,
        channel,
        initiation_method,
        queue,
        agent_id,
        intent,
        initiated_at,
        enqueued_at,
        connected_to_agent_at,
        disconnected_at,
        disconnect_reason,
        disposition,
        customer_endpoint_hash,
        case_id,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where _status = 'accepted'
),

final as (
    select * from accepted
)

select * from final
