{% macro cx_changed_attempts() -%}
    {#- SQL selecting the attempt_ids (initial_contact_ids) an incremental model must recompute: the chains of
        every contact cx_changed_contacts() returns, under its old and its new initial_contact_id. -#}
    select initial_contact_id as attempt_id
    from {{ ref('base_platform__contacts') }}
    where _batch_at > {{ cx_batch_watermark() }}
    union
    select initial_contact_id as attempt_id
    from {{ ref('stg_platform__contacts') }}
    where contact_id in (
        select contact_id
        from {{ ref('base_platform__contact_events') }}
        where _batch_at > {{ cx_batch_watermark() }}
    )
{%- endmacro %}
