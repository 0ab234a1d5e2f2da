{#- The SPEC §4.8 preferred channel of every customer (CRM or seen in attempts), keyed by the salted
    customer_key that the core facts carry, so marts can join it to fct_journeys without the CRM id. -#}
with

preferences as (
    select * from {{ ref('int_customers_preferences_resolved') }}
),

final as (
    select
        {{ cx_customer_key('customer_id') }} as customer_key,
        preferred_channel,
        preferred_channel_source
    from preferences
)

select * from final
