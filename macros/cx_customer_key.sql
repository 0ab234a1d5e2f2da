{% macro cx_customer_key(customer_id_column) -%}
    {#- Stable salted hash that identifies a customer in marts and dims without exposing the CRM id (SPEC §7).
        Salt: env CX_CUSTOMER_KEY_SALT via var('customer_key_salt'); the development default is documented in
        the README and must be overridden in production. Null in, null out. -#}
    case
        when {{ customer_id_column }} is not null
            then {{ dbt.hash(dbt.concat(["'" ~ var('customer_key_salt') ~ "|'", customer_id_column])) }}
    end
{%- endmacro %}
