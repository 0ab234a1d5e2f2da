{#- The accepted contacts of every enabled source (SPEC §8.1: the landing zone's and each platform adapter's rows
    are validated and ranked together in base_platform__contacts), with a platform contact's customer identified:
    by the attribute or field that holds the CRM id (already in customer_id), else by its endpoint when exactly one
    customer's current CRM version has that phone or email (compared as salted hashes of the normalised values,
    SPEC §7), else unidentified. The landing zone's customer_id is taken as delivered (SPEC §2: null = caller not
    identified). Salesforce contacts come from stg_salesforce__contacts (SPEC §8.5: a messaging session or voice call
    with its case's customer, intent and disposition); a Salesforce voice call that is an Amazon Connect contact
    (its vendor_call_key) is counted once, as the Connect contact, which takes the call's case link (when several
    calls name one Connect contact, only a case link they agree on). A view: the identity follows the CRM's current
    versions at every build. A join whose side is empty by configuration is left out when the view is created (the
    case links without Salesforce, the endpoint identity with the landing zone alone): the view is then a filter of
    base_platform__contacts, through which DuckDB pushes a reader's filters into the scan (a night reads this view
    about ten times; at L a filtered read took 0.7 s through the joins and 0.2 s without them). -#}
{#- at parse time (not execute) every ref is named, so the DAG does not depend on the sources switched on -#}
{%- set salesforce_on = not execute or 'salesforce' in cx_enabled_sources() %}
{%- set identity_on = not execute or cx_enabled_sources() != ['landing_zone'] %}
with

base as (
    select * from {{ ref('base_platform__contacts') }}
),
{%- if salesforce_on %}

salesforce_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

connect_case_links as (
    -- SPEC §8.5: the case link the Salesforce voice calls of one Amazon Connect contact give it
    select
        connect_contact_id as contact_id,
        case when min(case_id) = max(case_id) then min(case_id) end as case_id,
        max(_batch_at) as _batch_at
    from salesforce_contacts
    where connect_contact_id is not null
    group by connect_contact_id
),
{%- endif %}

platform_rows as (
    -- the accepted rows of every source but Salesforce, and Salesforce's as stg_salesforce__contacts gives them
    {%- set columns = ['contact_id', 'initial_contact_id', 'previous_contact_id', 'customer_id', 'channel',
        'initiation_method', 'queue', 'agent_id', 'intent', 'initiated_at', 'enqueued_at', 'connected_to_agent_at',
        'disconnected_at', 'disconnect_reason', 'disposition', 'customer_endpoint_hash', 'case_id', 'source_system',
        'hold_seconds_reported', 'agent_interaction_seconds', 'after_contact_work_seconds', '_loaded_at',
        '_load_date', '_batch_at'] %}
    select {{ columns | join(', ') }}
    from base
    where _status = 'accepted' and source_system <> 'salesforce'
    {%- if salesforce_on %}
    union all
    select {{ columns | join(', ') }}
    from salesforce_contacts
    where connect_contact_id is null
    {%- endif %}
),

accepted as (
    select
        platform_rows.contact_id,
        platform_rows.initial_contact_id,
        platform_rows.previous_contact_id,
        platform_rows.customer_id,
        platform_rows.channel,
        platform_rows.initiation_method,
        platform_rows.queue,
        platform_rows.agent_id,
        platform_rows.intent,
        platform_rows.initiated_at,
        platform_rows.enqueued_at,
        platform_rows.connected_to_agent_at,
        platform_rows.disconnected_at,
        platform_rows.disconnect_reason,
        platform_rows.disposition,
        platform_rows.customer_endpoint_hash,
        {{ 'coalesce(platform_rows.case_id, connect_case_links.case_id)' if salesforce_on
            else 'platform_rows.case_id' }} as case_id,
        platform_rows.source_system,
        platform_rows.hold_seconds_reported,
        platform_rows.agent_interaction_seconds,
        platform_rows.after_contact_work_seconds,
        platform_rows._loaded_at,
        platform_rows._load_date,
        {%- if salesforce_on %}
            case
                when connect_case_links._batch_at > platform_rows._batch_at then connect_case_links._batch_at
                else platform_rows._batch_at
            end as _batch_at
        {%- else %}
            platform_rows._batch_at
        {%- endif %}
    from platform_rows
    {%- if salesforce_on %}
    left join connect_case_links
        on platform_rows.contact_id = connect_case_links.contact_id
    {%- endif %}
),

{%- if identity_on %}

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

current_customer_versions as (
    select
        customer_id,
        email_hash,
        phone_hash,
        row_number() over (partition by customer_id order by updated_at desc) as version_rank
    from customers
),

current_identity_hashes as (
    -- every phone and email of a current CRM version
    select
        customer_id,
        email_hash as identity_hash
    from current_customer_versions
    where version_rank = 1
    union all
    select
        customer_id,
        phone_hash as identity_hash
    from current_customer_versions
    where version_rank = 1
),

identity_hashes as (
    -- how many customers share each of them
    select
        identity_hash,
        count(distinct customer_id) as customers,
        min(customer_id) as customer_id
    from current_identity_hashes
    where identity_hash is not null
    group by identity_hash
),
{%- endif %}

identified as (
    select
        accepted.contact_id,
        accepted.initial_contact_id,
        accepted.previous_contact_id,
        {%- if identity_on %}
            case
                when accepted.customer_id is not null or accepted.source_system = 'landing_zone'
                    then accepted.customer_id
                when identity_hashes.customers = 1 then identity_hashes.customer_id
            end as customer_id,
        {%- else %}
            -- the landing zone's customer, as delivered
            accepted.customer_id,
        {%- endif %}
        accepted.channel,
        accepted.initiation_method,
        accepted.queue,
        accepted.agent_id,
        accepted.intent,
        accepted.initiated_at,
        accepted.enqueued_at,
        accepted.connected_to_agent_at,
        accepted.disconnected_at,
        accepted.disconnect_reason,
        accepted.disposition,
        accepted.customer_endpoint_hash,
        accepted.case_id,
        accepted.source_system,
        case
            when accepted.source_system = 'landing_zone'
                then case when accepted.customer_id is not null then 'delivered' else 'none' end
            when accepted.customer_id is not null then 'attribute'
            {%- if identity_on %}
            when identity_hashes.customers = 1 then 'endpoint'
            when identity_hashes.customers > 1 then 'ambiguous'
            {%- endif %}
            else 'none'
        end as identity_method,
        accepted.hold_seconds_reported,
        accepted.agent_interaction_seconds,
        accepted.after_contact_work_seconds,
        accepted._loaded_at,
        accepted._load_date,
        accepted._batch_at
    from accepted
    {%- if identity_on %}
    -- with the landing zone alone every contact is the landing zone's, taken as delivered: nothing to match
    left join identity_hashes
        on
            accepted.source_system <> 'landing_zone'
            and accepted.customer_id is null
            and accepted.customer_endpoint_hash = identity_hashes.identity_hash
    {%- endif %}
),

final as (
    select * from identified
)

select * from final
