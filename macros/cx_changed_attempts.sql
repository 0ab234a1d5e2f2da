{% macro cx_changed_attempts(include_rechained=false) -%}
    {#- SQL selecting the attempt_ids (initial_contact_ids) an incremental model must recompute: the chains of
        every contact cx_changed_contacts() returns, under its old and its new initial_contact_id. With
        include_rechained, also every chain int_attempts_chained rewrote since the calling model's watermark (for
        models downstream of it; int_attempts_chained itself cannot use this). -#}
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
        union
        {{ cx_identity_rematched_contacts() }}
    )
    {%- if include_rechained %}
    union
    select attempt_id
    from {{ ref('int_attempts_chained') }}
    where _batch_at > {{ cx_batch_watermark() }}
    {%- endif %}
{%- endmacro %}
