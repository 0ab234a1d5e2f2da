{#- The contacts an incremental run must recompute (and delete first): every contact whose raw contact row or one
    of whose raw events the base models (re)wrote after the watermark — old and new values alike, since a
    superseded row is rewritten too — and every platform contact whose endpoint match (SPEC §8.1, in
    stg_platform__contacts) a CRM version delivered after the watermark may add or take away: a contact without
    a CRM id whose endpoint hash is a phone or email of any version of such a customer. changed_at is the latest
    stamp behind the change; change models built from this one keep the rows later than their own watermark. -#}
{%- set watermark = cx_change_watermark() %}
with

contacts as (
    select * from {{ ref('base_platform__contacts') }}
),

events as (
    select * from {{ ref('base_platform__contact_events') }}
),

customers as (
    select * from {{ ref('base_crm__customers') }}
),

rewritten_contacts as (
    select
        contact_id,
        _batch_at as changed_at
    from contacts
    where _batch_at > {{ watermark }}
),

rewritten_events as (
    select
        contact_id,
        _batch_at as changed_at
    from events
    where _batch_at > {{ watermark }}
),

changed_customer_versions as (
    select
        customer_id,
        max(_batch_at) as changed_at
    from customers
    where _batch_at > {{ watermark }}
    group by customer_id
),

changed_identity_hashes as (
    -- every phone and email any version of a changed customer had or has
    select
        customers.email_hash as identity_hash,
        changed_customer_versions.changed_at
    from customers
    inner join changed_customer_versions
        on customers.customer_id = changed_customer_versions.customer_id
    union all
    select
        customers.phone_hash as identity_hash,
        changed_customer_versions.changed_at
    from customers
    inner join changed_customer_versions
        on customers.customer_id = changed_customer_versions.customer_id
),

rematched_contacts as (
    select
        contacts.contact_id,
        changed_identity_hashes.changed_at
    from contacts
    inner join changed_identity_hashes
        on contacts.customer_endpoint_hash = changed_identity_hashes.identity_hash
    where
        contacts._status = 'accepted'
        and contacts.source_system <> 'landing_zone'
        and contacts.customer_id is null
),

changes as (
    select * from rewritten_contacts
    union all
    select * from rewritten_events
    union all
    select * from rematched_contacts
),

final as (
    select
        contact_id,
        max(changed_at) as changed_at
    from changes
    where contact_id is not null
    group by contact_id
)

select * from final
