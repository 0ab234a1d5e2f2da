with

channels as (
    select * from {{ ref('channels') }}
),

final as (
    select
        channel,
        channel_group,
        is_realtime
    from channels
)

select * from final
