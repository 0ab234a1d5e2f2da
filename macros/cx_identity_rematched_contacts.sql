{% macro cx_identity_rematched_contacts() -%}
    {#- SQL selecting the platform contacts whose identity a nightly run may have changed without touching their
        own row: a contact without a CRM id is matched by its endpoint against the customers' current CRM versions
        (SPEC §8.1, in stg_platform__contacts), so a new CRM version of a customer holding that phone or email (in
        this or an older version) can add or take away the match. Those contacts are recomputed like changed ones,
        so a night-by-night build equals a full refresh. -#}
    select contact_id
    from {{ ref('base_platform__contacts') }}
    where
        _status = 'accepted'
        and source_system <> 'landing_zone'
        and customer_id is null
        and customer_endpoint_hash in (
            select versions.identity_hash
            from (
                select customer_id, email_hash as identity_hash from {{ ref('base_crm__customers') }}
                union all
                select customer_id, phone_hash as identity_hash from {{ ref('base_crm__customers') }}
            ) as versions
            where versions.customer_id in (
                select customer_id from {{ ref('base_crm__customers') }} where _batch_at > {{ cx_batch_watermark() }}
            )
        )
{%- endmacro %}
