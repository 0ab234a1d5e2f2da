with

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

preferences as (
    select * from {{ ref('int_customers_preferences_resolved') }}
),

latest_versions as (
    select
        customers.*,
        row_number() over (partition by customers.customer_id order by customers.updated_at desc) as version_rank,
        count(*) over (partition by customers.customer_id) as versions
    from customers
),

final as (
    -- no name, e-mail or phone: BI sees the salted customer_key only (SPEC §7)
    select
        {{ cx_customer_key('latest_versions.customer_id') }} as customer_key,
        latest_versions.segment,
        latest_versions.region,
        latest_versions.preferred_channel as crm_preferred_channel,
        preferences.preferred_channel,
        preferences.preferred_channel_source,
        latest_versions.created_at,
        latest_versions.updated_at,
        latest_versions.versions
    from latest_versions
    left join preferences
        on latest_versions.customer_id = preferences.customer_id
    where latest_versions.version_rank = 1
)

select * from final
