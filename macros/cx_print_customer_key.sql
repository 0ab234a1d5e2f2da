{% macro cx_print_customer_key(customer_id) -%}
    {#- Prints the customer_key of a CRM customer id, so an analyst who holds a CRM id can find that customer in
        the marts without the warehouse ever storing the id next to personal data (SPEC §7):
            dbt run-operation cx_print_customer_key --args '{customer_id: CUST00000042}'
        It computes the key with the same salt as the build (CX_CUSTOMER_KEY_SALT), so run it with the
        production environment; it reads no table (the in-memory `lint` target is enough). -#}
    {%- if customer_id is none or (customer_id | string | trim) == '' -%}
        {{ exceptions.raise_compiler_error("cx_print_customer_key: pass --args '{customer_id: <CRM id>}'") }}
    {%- endif -%}
    {%- set literal = "'" ~ (customer_id | string | trim | replace("'", "''")) ~ "'" -%}
    {%- set result = run_query('select ' ~ cx_customer_key(literal) ~ ' as customer_key') -%}
    {{ print(result.columns[0].values()[0]) }}
{%- endmacro %}
