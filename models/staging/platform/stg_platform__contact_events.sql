{#- A view: the accepted events with their JSON attributes parsed. Materialising it copied all 60 M events of a
    500-seat year a second time (the slowest model after base_platform__contact_events); as a view, the models
    that read it parse only the rows and keys they use (DuckDB pushes their event_type filters into the base scan).
    Each key is read only for the event type SPEC §2 defines it for (`attributes` keys by event type); the same
    key on another event type is an unknown key there and is ignored, as SPEC says of unknown keys. -#}
{{ config(materialized='view') }}
{#- (column, the event type that defines the key, attributes key, how it is parsed: text / double / boolean / lower =
    trimmed and lower-cased) -#}
{%- set attribute_columns = [
    ('ivr_menu', 'ivr_menu', 'menu', 'text'),
    ('ivr_option', 'ivr_menu', 'option', 'text'),
    ('bot_id', 'bot_turn', 'bot_id', 'text'),
    ('bot_confidence', 'bot_turn', 'confidence', 'double'),
    ('bot_outcome', 'bot_end', 'outcome', 'lower'),
    ('is_suggestion_accepted', 'ai_suggestion', 'accepted', 'boolean'),
    ('auth_method', 'auth_attempt', 'method', 'lower'),
    ('auth_match_score', 'auth_attempt', 'match_score', 'double'),
    ('synthetic_voice_score', 'auth_attempt', 'synthetic_voice_score', 'double'),
    ('auth_result', 'auth_attempt', 'result', 'lower'),
    ('sensitive_action', 'sensitive_action', 'action', 'lower'),
    ('transfer_to_queue', 'transfer', 'to_queue', 'text'),
] -%}

with

base as (
    select * from {{ ref('base_platform__contact_events') }}
),

{%- for adapter_name, adapter_spec in cx_platform_adapters().items()
    if not execute or adapter_name in cx_enabled_sources() %}

{{ adapter_name }}_events as (  -- noqa: ST03
    -- read only when the adapter is on (var sources); named at parse time either way, so the DAG is stable
    select * from {{ ref(adapter_spec.events_model) }}
),
{%- endfor %}

accepted as (
    -- the landing zone's accepted events and the events the platforms' records imply (SPEC §8.2, §8.4)
    {%- set event_columns = ['event_id', 'contact_id', 'event_type', 'event_at', 'attributes', '_loaded_at',
        '_load_date', '_batch_at'] %}
    select {{ event_columns | join(', ') }}
    from base
    where _status = 'accepted'
    {%- for adapter_name in cx_platform_adapters() if adapter_name in cx_enabled_sources() %}
    union all
    select {{ event_columns | join(', ') }}
    from {{ adapter_name }}_events
    {%- endfor %}
),

parsed as (
    select
        *,
        {%- for column, event_type, key, parse in attribute_columns %}
            {%- set value = cx_json_text('attributes', key) %}
            {%- if parse == 'double' %}
                {%- set value = cx_safe_cast(value, 'double') %}
            {%- elif parse == 'boolean' %}
                {%- set value = cx_safe_cast(value, dbt.type_boolean()) %}
            {%- elif parse == 'lower' %}
                {%- set value = 'lower(' ~ cx_trim(value) ~ ')' %}
            {%- endif %}
            case when event_type = '{{ event_type }}' then {{ value }} end as {{ column }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from accepted
),

final as (
    select * from parsed
)

select * from final
