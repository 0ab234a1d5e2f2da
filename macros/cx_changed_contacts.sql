{% macro cx_changed_contacts() -%}
    {#- SQL selecting the contact_ids an incremental model must recompute: those whose raw contact row or one of
        whose raw events was (re)written by the base models after this model's watermark — old and new values
        alike, since a superseded row is rewritten too (cx_stage_source) — and the platform contacts whose
        endpoint match may have changed with a new CRM version (cx_identity_rematched_contacts). -#}
    select contact_id
    from {{ ref('base_platform__contacts') }}
    where _batch_at > {{ cx_batch_watermark() }}
    union
    select contact_id
    from {{ ref('base_platform__contact_events') }}
    where _batch_at > {{ cx_batch_watermark() }}
    union
    {{ cx_identity_rematched_contacts() }}
{%- endmacro %}
