{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
) }}

with

base as (
    select * from {{ ref('base_platform__contacts') }}
),
{%- if is_incremental() %}

changed_keys as (
    -- incremental: the keys whose raw rows were (re)written since this table's last run
    select contact_id
    from base
    where _batch_at > {{ cx_batch_watermark() }}
),
{%- endif %}

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
        customer_endpoint,
        case_id,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where
        _status = 'accepted'
    {% if is_incremental() %}
            and contact_id in (select changed_keys.contact_id from changed_keys)
        {% endif %}
),

final as (
    select * from accepted
)

select * from final
