{#- The survey responses an incremental run must recompute (and delete first): every response with a row the base
    model (re)wrote after the watermark — accepted, superseded or quarantined alike, so a response that is no longer
    accepted disappears — and every accepted response whose contact changed (int_changed_contacts: the contact
    decides whether the response is in scope and which journey it links to). -#}
{%- set watermark = cx_change_watermark() %}
with

response_rows as (
    select * from {{ ref('base_platform__survey_responses') }}
),

responses as (
    select * from {{ ref('stg_platform__survey_responses') }}
),

changed_contacts as (
    select * from {{ ref('int_changed_contacts') }}
    where changed_at > {{ watermark }}
),

changes as (
    select
        response_id,
        _batch_at as changed_at
    from response_rows
    where
        _batch_at > {{ watermark }}
        and response_id is not null
    union all
    select
        responses.response_id,
        changed_contacts.changed_at
    from responses
    inner join changed_contacts
        on responses.contact_id = changed_contacts.contact_id
),

final as (
    select
        response_id,
        max(changed_at) as changed_at
    from changes
    group by response_id
)

select * from final
