{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='customer_key',
    replace_changed={'customer_key': 'int_changed_preference_customers'},
    on_schema_change='fail',
) }}
{#- Each customer's current version and its number of versions, read from dim_customers_history (the SCD2,
    incremental) instead of ranking every CRM version again. int_customers_preferences_resolved still ranks them
    for the CRM preference: an intermediate model does not read a mart.
    Incremental: a customer's row depends on their CRM versions and their preference only, so a run recomputes the
    customers of int_changed_preference_customers (which holds every customer of int_changed_customers too: a new CRM
    version); cx_replace deletes their stored rows by customer_key first, so a customer left without a current
    version disappears as in a full refresh. -#}
with

changed_customers as (  -- noqa: ST03
    select * from {{ ref('int_changed_preference_customers') }}
),

customer_versions as (
    select * from {{ ref('dim_customers_history') }}
    {%- if is_incremental() %}
    where customer_key in (select changed_customers.customer_key from changed_customers)
    {%- endif %}
),

preferences as (
    select * from {{ ref('int_customers_preferences_resolved') }}
    {%- if is_incremental() %}
    where customer_key in (select changed_customers.customer_key from changed_customers)
    {%- endif %}
),

version_counts as (
    select
        customer_key,
        count(*) as versions
    from customer_versions
    group by customer_key
),

final as (
    -- no name, e-mail or phone: BI sees the salted customer_key only (SPEC §7)
    select
        customer_versions.customer_key,
        customer_versions.segment,
        customer_versions.region,
        customer_versions.preferred_channel as crm_preferred_channel,
        preferences.preferred_channel,
        preferences.preferred_channel_source,
        customer_versions.created_at,
        customer_versions.valid_from as updated_at,
        version_counts.versions,
        {{ cx_batch_at() }} as _batch_at
    from customer_versions
    inner join version_counts
        on customer_versions.customer_key = version_counts.customer_key
    left join preferences
        on customer_versions.customer_key = preferences.customer_key
    where customer_versions.is_current
)

select * from final
