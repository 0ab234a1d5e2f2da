{% macro cx_salesforce_contacts() -%}
    {#- SPEC §8.5: each delivered Salesforce Contact version mapped onto SPEC §2's `customers` columns, as text, for
    base_crm__customers to validate, rank and store with the landing zone's CRM rows (cx_stage_source): each
    (id, system_modstamp) is one CRM version (SPEC §2's key customer_id + updated_at), re-deliveries of the same pair
    ordered by _fivetran_synced (the row's _loaded_at). full_name from name, email, phone, created_at from
    created_date; segment from the account's field var salesforce_segment_field names (default type; values as
    SPEC §2's segments, anything else quarantined as unknown_enum) and region from its billing_country, both of the
    account version in force at the contact version's system_modstamp; preferred channel from the Contact field
    var salesforce_preferred_channel_field names (default preferred_channel_c). Name, e-mail and phone are hashed
    here, the first reader of the files (SPEC §7). Deleted contacts are excluded (reason deleted). -#}
{%- set text = dbt.type_string() -%}
{%- set segment_field = var('salesforce_segment_field') -%}
{%- set preferred_channel_field = var('salesforce_preferred_channel_field') %}

with

contact_versions as (
    select * from {{ cx_platform_table('salesforce', 'contact') }}
),

account_versions as (
    {{ cx_platform_versions('salesforce', 'account', 'account_id', {
        'segment': adapter.quote(segment_field),
        'billing_country': 'billing_country',
    }, 'system_modstamp') }}
),

mapped as (
    select
        contact_versions.id as customer_id,
        {{ cx_pii_hash('contact_versions.name', 'name') }} as full_name,
        {{ cx_pii_hash('contact_versions.name', 'name') }} as full_name_hash,
        {{ cx_pii_hash('contact_versions.email', 'email') }} as email,
        {{ cx_pii_hash('contact_versions.email', 'email') }} as email_hash,
        {{ cx_pii_hash('contact_versions.phone', 'phone') }} as phone,
        {{ cx_pii_hash('contact_versions.phone', 'phone') }} as phone_hash,
        cast(accounts.segment as {{ text }}) as segment,
        cast(accounts.billing_country as {{ text }}) as region,
        cast(contact_versions.{{ adapter.quote(preferred_channel_field) }} as {{ text }}) as preferred_channel,
        cast(contact_versions.created_date as {{ text }}) as created_at,
        cast(contact_versions.system_modstamp as {{ text }}) as updated_at,
        -- SPEC §8.5: re-deliveries of one version are ordered by the sync
        cast(contact_versions._fivetran_synced as {{ text }}) as _loaded_at,
        false as _is_malformed,
        case
            when coalesce(contact_versions.is_deleted, false) or coalesce(contact_versions._fivetran_deleted, false)
                then 'deleted'
        end as _excluded_reason,
        -- the version for quarantine (SPEC §6), without personal data (SPEC §7)
        {{ cx_row_to_json(
            ['id', 'account_id', 'created_date', 'system_modstamp'],
            {'id': 'contact_versions.id', 'account_id': 'contact_versions.account_id',
                'created_date': 'contact_versions.created_date',
                'system_modstamp': 'contact_versions.system_modstamp'}
        ) }} as _raw_line,
        contact_versions.filename,
        contact_versions.file_row_number
    from contact_versions
    left join account_versions as accounts
        on
            contact_versions.account_id = accounts.account_id
            and (accounts.valid_from is null or accounts.valid_from <= contact_versions.system_modstamp)
            and (accounts.valid_to is null or accounts.valid_to > contact_versions.system_modstamp)
)

select * from mapped
{%- endmacro %}
