with

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

latest_versions as (
    select
        customer_id,
        preferred_channel,
        row_number() over (partition by customer_id order by updated_at desc) as version_rank
    from customers
),

channel_counts as (
    select
        customer_id,
        channel,
        count(*) as attempts
    from attempts
    where is_identified
    group by customer_id, channel
),

most_used_channels as (
    -- the channel of most of their attempts (ties: alphabetical)
    select
        customer_id,
        channel,
        row_number() over (partition by customer_id order by attempts desc, channel asc) as channel_rank
    from channel_counts
),

all_customers as (
    select customer_id from latest_versions
    union
    select customer_id from channel_counts
),

final as (
    select
        all_customers.customer_id,
        -- the key the core facts carry, so outcome marts join on it without the CRM id (SPEC §7)
        {{ cx_customer_key('all_customers.customer_id') }} as customer_key,
        latest_versions.preferred_channel as crm_preferred_channel,
        most_used_channels.channel as most_used_channel,
        -- SPEC §4.8: today's CRM preference, else the most used channel
        coalesce(latest_versions.preferred_channel, most_used_channels.channel) as preferred_channel,
        case
            when latest_versions.preferred_channel is not null then 'crm'
            when most_used_channels.channel is not null then 'most_used'
        end as preferred_channel_source
    from all_customers
    left join latest_versions
        on
            all_customers.customer_id = latest_versions.customer_id
            and latest_versions.version_rank = 1
    left join most_used_channels
        on
            all_customers.customer_id = most_used_channels.customer_id
            and most_used_channels.channel_rank = 1
)

select * from final
