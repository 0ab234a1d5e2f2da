with

base as (
    select * from {{ ref('base_crm__customers') }}
),

accepted as (
    select
        customer_id,
        -- SPEC §7: no name; email and phone only as salted hashes of their normalised form (cx_pii_hash)
        email_hash,
        phone_hash,
        segment,
        region,
        preferred_channel,
        created_at,
        updated_at,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where _status = 'accepted'
),

final as (
    select * from accepted
)

select * from final
