{% macro cx_changed_customers(base_model, key_column) -%}
    {#- SQL selecting every customer_id a row of `base_model` (a base_crm__* model) delivered since the calling
        incremental model's watermark was ever delivered with: all deliveries of the changed keys, so a row that
        moved to another customer changes both. The caller needs `-- depends_on: {{ ref(base_model) }}`. -#}
    select customer_id
    from {{ ref(base_model) }}
    where {{ key_column }} in (
        select {{ key_column }}
        from {{ ref(base_model) }}
        where _batch_at > {{ cx_batch_watermark() }}
    )
{%- endmacro %}
