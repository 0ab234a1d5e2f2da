{#- Each customer's current version and its number of versions, read from dim_customers_history (the SCD2,
    incremental) instead of ranking every CRM version again. int_customers_preferences_resolved still ranks them
    for the CRM preference: an intermediate model does not read a mart. -#}
with

customer_versions as (
    select * from {{ ref('dim_customers_history') }}
),

preferences as (
    select * from {{ ref('int_customers_preferences_resolved') }}
),

version_counts as (
    select
        customer_key,
        count(*) as versions
    from customer_versions
    group by customer_key
),

final as (
    -- no name, e-mail or phone: BI sees the salted customer_key only (SPEC §7)
    select
        customer_versions.customer_key,
        customer_versions.segment,
        customer_versions.region,
        customer_versions.preferred_channel as crm_preferred_channel,
        preferences.preferred_channel,
        preferences.preferred_channel_source,
        customer_versions.created_at,
        customer_versions.valid_from as updated_at,
        version_counts.versions
    from customer_versions
    inner join version_counts
        on customer_versions.customer_key = version_counts.customer_key
    left join preferences
        on customer_versions.customer_key = preferences.customer_key
    where customer_versions.is_current
)

select * from final
