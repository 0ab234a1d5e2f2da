{% macro cx_changed_customer_keys(base_model, key_column, version_columns=[]) -%}
    {#- The change set of a CRM base model keyed by `key_column` (int_changed_orders, int_changed_subscriptions):
        every key with a row the base model wrote after the change watermark (cx_change_watermark), once per
        customer any delivery of it ever carried, so a row moved to another customer changes both customers.
        version_columns: more columns of the deliveries to keep (one row per distinct combination), e.g. an
        order's ordered_at, so a consumer can tell which of the customer's rows an old or new delivery touches. -#}
{%- set watermark = cx_change_watermark() %}
with

base as (
    select * from {{ ref(base_model) }}
),

delivered as (
    select
        {{ key_column }},
        max(_batch_at) as changed_at
    from base
    where _batch_at > {{ watermark }}
    group by {{ key_column }}
),

final as (
    select distinct
        delivered.{{ key_column }},
        base.customer_id,
        {%- for column in version_columns %}
        base.{{ column }},
        {%- endfor %}
        delivered.changed_at
    from delivered
    inner join base
        on delivered.{{ key_column }} = base.{{ key_column }}
)

select * from final
{%- endmacro %}
