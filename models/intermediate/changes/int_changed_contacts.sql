{#- The contacts an incremental run must recompute (and delete first): every contact whose raw contact row or one
    of whose raw events the base models (re)wrote after the watermark — old and new values alike, since a
    superseded row is rewritten too — and every platform contact whose endpoint match (SPEC §8.1, in
    stg_platform__contacts) a CRM version delivered after the watermark may add or take away: a contact without
    a CRM id whose endpoint hash is a phone or email of any version of such a customer. With Salesforce on (SPEC
    §8.5, stg_salesforce__contacts): every messaging session or voice call whose case was rewritten (it lends them
    its customer, intent and disposition), and both sides of a voice call and the Amazon Connect contact it names
    when either was rewritten (they are counted once). changed_at is the latest
    stamp behind the change; change models built from this one keep the rows later than their own watermark. -#}
{%- set watermark = cx_change_watermark() %}
with

-- inlined (cx_cte_inlined): each reference reads only tonight's rows or the changed customers' rows of the table
contacts as {{ cx_cte_inlined() }} (
    select * from {{ ref('base_platform__contacts') }}
),

events as (
    select * from {{ ref('base_platform__contact_events') }}
),

customers as {{ cx_cte_inlined() }} (
    select * from {{ ref('base_crm__customers') }}
),

changed_customers as (
    -- int_changed_customers reports after its own watermark, which is never later than this model's (its
    -- consumers include this model's): keep what is newer than ours, as int_changed_attempts does with this model
    select * from {{ ref('int_changed_customers') }}
    where changed_at > {{ watermark }}
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

changed_identity_hashes as (
    -- every phone and email any version of a changed customer had or has
    select
        customers.email_hash as identity_hash,
        changed_customers.changed_at
    from customers
    inner join changed_customers
        on customers.customer_id = changed_customers.customer_id
    union all
    select
        customers.phone_hash as identity_hash,
        changed_customers.changed_at
    from customers
    inner join changed_customers
        on customers.customer_id = changed_customers.customer_id
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

{%- if 'salesforce' in cx_enabled_sources() %}

lent_contacts as (
    -- the sessions and calls of a rewritten case (SPEC §8.5: they take its customer, intent and disposition)
    select
        sessions.contact_id,
        cases._batch_at as changed_at
    from contacts as sessions
    inner join contacts as cases
        on sessions.case_id = cases.contact_id
    where
        sessions.source_system = 'salesforce'
        and sessions.salesforce_object in ('messaging_session', 'voice_call')
        and cases.source_system = 'salesforce'
        and cases.salesforce_object = 'case'
        and cases._batch_at > {{ watermark }}
),

paired_contacts as (
    -- a rewritten voice call's Amazon Connect contact, and the voice calls naming a rewritten Connect contact
    select
        vendor_call_key as contact_id,
        _batch_at as changed_at
    from contacts
    where source_system = 'salesforce' and vendor_call_key is not null and _batch_at > {{ watermark }}
    union all
    select
        calls.contact_id,
        connect_contacts._batch_at as changed_at
    from contacts as calls
    inner join contacts as connect_contacts
        on calls.vendor_call_key = connect_contacts.contact_id
    where
        calls.source_system = 'salesforce'
        and connect_contacts.source_system = 'amazon_connect'
        and connect_contacts._batch_at > {{ watermark }}
),
{%- endif %}

changes as (
    select * from rewritten_contacts
    union all
    select * from rewritten_events
    union all
    select * from rematched_contacts
    {%- if 'salesforce' in cx_enabled_sources() %}
    union all
    select * from lent_contacts
    union all
    select * from paired_contacts
    {%- endif %}
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
