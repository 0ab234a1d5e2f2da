{#- The attempts (transfer chains, keyed by initial_contact_id) an incremental run must recompute (and delete
    first): the chain of every changed contact (int_changed_contacts) under its old initial_contact_id — from the
    contact rows the base model rewrote, superseded ones included — and under its current one. With Salesforce on,
    also the chain each changed contact has in the base model: a voice call that is now counted as its Amazon
    Connect contact (SPEC §8.5) has left stg_platform__contacts, and its old attempt must go. -#}
{%- set watermark = cx_change_watermark() %}
with

contact_rows as (
    select * from {{ ref('base_platform__contacts') }}
),

contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

changed_contacts as (
    select * from {{ ref('int_changed_contacts') }}
    where changed_at > {{ watermark }}
),

chains_as_delivered as (
    -- old and new values: a rewritten contact's superseded rows are rewritten (restamped) with it
    select
        initial_contact_id as attempt_id,
        _batch_at as changed_at
    from contact_rows
    where _batch_at > {{ watermark }}
),

chains_now as (
    select
        contacts.initial_contact_id as attempt_id,
        changed_contacts.changed_at
    from contacts
    inner join changed_contacts
        on contacts.contact_id = changed_contacts.contact_id
),

{%- if 'salesforce' in cx_enabled_sources() %}

chains_stored as (
    select
        contact_rows.initial_contact_id as attempt_id,
        changed_contacts.changed_at
    from contact_rows
    inner join changed_contacts
        on contact_rows.contact_id = changed_contacts.contact_id
    where contact_rows._status = 'accepted'
),
{%- endif %}

changes as (
    select * from chains_as_delivered
    union all
    select * from chains_now
    {%- if 'salesforce' in cx_enabled_sources() %}
    union all
    select * from chains_stored
    {%- endif %}
),

final as (
    select
        attempt_id,
        max(changed_at) as changed_at
    from changes
    where attempt_id is not null
    group by attempt_id
)

select * from final
