{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='customer_id',
    replace_changed={'customer_id': 'int_changed_preference_customers'},
) }}
{#- Incremental: a customer's preference depends on their CRM versions and their identified attempts only, so a run
    recomputes the customers of int_changed_preference_customers (CRM rows rewritten, attempts added, changed,
    re-assigned or moved away); cx_replace deletes their stored rows first, so a customer left with neither a CRM
    version nor an identified attempt disappears as in a full refresh.
    Each customer's attempts are counted per channel in one aggregate and the CRM preference taken with
    cx_max_by, instead of ranking 2.9 M (customer, channel) counts and 1.9 M versions with window functions at
    scale L (benchmarks/results/fixes.md, eighteenth round). The channels in alphabetical order: a tie for the
    most used channel goes to the first. -#}
{%- set channels = cx_contract_accepted_values('contacts.channel') | sort -%}
{%- set channel_columns = [] -%}
{%- for channel in channels -%}
    {%- do channel_columns.append(channel ~ '_attempts') -%}
{%- endfor %}
with

changed_customers as (  -- noqa: ST03
    select * from {{ ref('int_changed_preference_customers') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
    {%- if is_incremental() %}
    where customer_id in (select changed_customers.customer_id from changed_customers)
    {%- endif %}
),

attempts as (
    select * from {{ ref('int_attempts_chained') }}
    {%- if is_incremental() %}
    where customer_id in (select changed_customers.customer_id from changed_customers)
    {%- endif %}
),

latest_versions as (
    -- the latest version's preference, a null one included (updated_at is unique per customer)
    select
        customer_id,
        {{ cx_max_by('preferred_channel', 'updated_at') }} as preferred_channel
    from customers
    group by customer_id
),

channel_counts as (
    select
        customer_id,
        {%- for channel in channels %}
            count(case when channel = '{{ channel }}' then 1 end)
                as {{ channel_columns[loop.index0] }}{%- if not loop.last %},{% endif %}
        {%- endfor %}
    from attempts
    where is_identified
    group by customer_id
),

most_used_channels as (
    -- the channel of most of their attempts (ties: alphabetical); an attempt's channel is one of the contract's
    -- (staging quarantines any other, cx_contract_values tests the attempts), never null
    select
        customer_id,
        case
            {%- for channel in channels %}
                when {{ channel_columns[loop.index0] }} = greatest({{ channel_columns | join(', ') }})
                    then '{{ channel }}'
            {%- endfor %}
        end as channel
    from channel_counts
),

preferences_joined as (
    select
        coalesce(latest_versions.customer_id, most_used_channels.customer_id) as customer_id,
        latest_versions.preferred_channel as crm_preferred_channel,
        most_used_channels.channel as most_used_channel
    from latest_versions
    full outer join most_used_channels
        on latest_versions.customer_id = most_used_channels.customer_id
),

final as (
    select
        customer_id,
        -- the key the core facts carry, so outcome marts join on it without the CRM id (SPEC §7)
        {{ cx_customer_key('customer_id') }} as customer_key,
        crm_preferred_channel,
        most_used_channel,
        -- SPEC §4.8: today's CRM preference, else the most used channel
        coalesce(crm_preferred_channel, most_used_channel) as preferred_channel,
        case
            when crm_preferred_channel is not null then 'crm'
            when most_used_channel is not null then 'most_used'
        end as preferred_channel_source,
        {{ cx_batch_at() }} as _batch_at
    from preferences_joined
)

select * from final
