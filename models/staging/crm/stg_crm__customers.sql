with

base as (
    select * from {{ ref('base_crm__customers') }}
),

accepted as (
    select
        customer_id,
        full_name,
        email,
        phone,
        segment,
        region,
        preferred_channel,
        created_at,
        updated_at,
        _loaded_at,
        _load_date
    from base
    where _status = 'accepted'
),

final as (
    select * from accepted
)

select * from final
