{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_id',
) }}

with

base as (
    select * from {{ ref('base_platform__contact_events') }}
),
{%- if is_incremental() %}

changed_keys as (
    -- incremental: the keys whose raw rows were (re)written since this table's last run
    select event_id
    from base
    where _batch_at > {{ cx_batch_watermark() }}
),
{%- endif %}

accepted as (
    select
        event_id,
        contact_id,
        event_type,
        event_at,
        attributes,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where
        _status = 'accepted'
    {% if is_incremental() %}
            and event_id in (select changed_keys.event_id from changed_keys)
        {% endif %}
),

parsed as (
    select
        *,
        {{ cx_json_text('attributes', 'menu') }} as ivr_menu,
        {{ cx_json_text('attributes', 'option') }} as ivr_option,
        {{ cx_json_text('attributes', 'bot_id') }} as bot_id,
        {{ cx_safe_cast(cx_json_text('attributes', 'confidence'), 'double') }} as bot_confidence,
        lower({{ cx_trim(cx_json_text('attributes', 'outcome')) }}) as bot_outcome,
        {{ cx_safe_cast(cx_json_text('attributes', 'accepted'), dbt.type_boolean()) }} as is_suggestion_accepted,
        lower({{ cx_trim(cx_json_text('attributes', 'method')) }}) as auth_method,
        {{ cx_safe_cast(cx_json_text('attributes', 'match_score'), 'double') }} as auth_match_score,
        {{ cx_safe_cast(cx_json_text('attributes', 'synthetic_voice_score'), 'double') }}
            as synthetic_voice_score,
        lower({{ cx_trim(cx_json_text('attributes', 'result')) }}) as auth_result,
        lower({{ cx_trim(cx_json_text('attributes', 'action')) }}) as sensitive_action,
        {{ cx_json_text('attributes', 'to_queue') }} as transfer_to_queue
    from accepted
),

final as (
    select * from parsed
)

select * from final
