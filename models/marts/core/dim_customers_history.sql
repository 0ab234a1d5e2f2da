with

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

versions as (
    select
        customers.*,
        lead(customers.updated_at)
            over (partition by customers.customer_id order by customers.updated_at)
            as next_updated_at
    from customers
),

final as (
    -- SCD2: each CRM version is valid from its updated_at until the next version's (null while current)
    select
        {{ dbt.hash(dbt.concat([
            "customer_id", "'|'", "cast(updated_at as " ~ dbt.type_string() ~ ")"
        ])) }} as customer_version_key,
        {{ cx_customer_key('customer_id') }} as customer_key,
        segment,
        region,
        preferred_channel,
        created_at,
        updated_at as valid_from,
        next_updated_at as valid_to,
        next_updated_at is null as is_current
    from versions
)

select * from final
