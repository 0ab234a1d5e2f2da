{% macro cx_changed_customer_keys(base_model, key_column, version_columns=[]) -%}
    {#- The change set of a CRM base model keyed by `key_column` (int_changed_orders, int_changed_subscriptions):
        every key with a row the base model wrote after the change watermark (cx_change_watermark), once per
        customer any delivery of it ever carried, so a row moved to another customer changes both customers.
        version_columns: more columns of the deliveries to keep (one row per distinct combination), e.g. an
        order's ordered_at, so a consumer can tell which of the customer's rows an old or new delivery touches.
        Every delivery of such a key is among the rows written after the watermark: the base model re-ranks a
        key's stored rows with its new ones and rewrites them all with the run's _batch_at (cx_stage_source), so
        no read of the older history is needed (a join back to every row of the base model cost 0.4-2.9 s a night
        at L for orders). A quarantined delivery without a key has no key to change. -#}
{%- set watermark = cx_change_watermark() %}
with

base as (
    select * from {{ ref(base_model) }}
),

delivered as (
    -- every row of every key delivered since the watermark (old and new deliveries alike)
    select
        {{ key_column }},
        customer_id,
        {%- for column in version_columns %}
        {{ column }},
        {%- endfor %}
        max(_batch_at) over (partition by {{ key_column }}) as changed_at
    from base
    where
        _batch_at > {{ watermark }}
        and {{ key_column }} is not null
),

final as (
    select distinct
        {{ key_column }},
        customer_id,
        {%- for column in version_columns %}
        {{ column }},
        {%- endfor %}
        changed_at
    from delivered
)

select * from final
{%- endmacro %}
