{% macro cx_pii_hash(value, kind) -%}
    {#- The one way personal data is stored (SPEC §7) and compared (SPEC §8.1): a salted hash of the value's
        normalised form, null when the normalised value is empty (so an empty string matches nothing).
        kind: 'email' (trimmed, lower case), 'phone' (E.164 digits: '+' and every other non-digit removed, so
        '+1 (555) 010-0000' and '15550100000' hash alike), 'endpoint' (a contact's phone number or address:
        an email when it holds an '@', else a phone; it then hashes exactly like the CRM's email or phone, which
        is what identity matching compares), or 'name' (trimmed, lower case; used in quarantine's raw-row JSON,
        where a name is replaced by its hash). The kind is part of the hashed text, so a phone and an email can
        never share a hash. Salt: var('customer_key_salt'), from CX_CUSTOMER_KEY_SALT (docs/operations.md). -#}
    {%- set text = 'cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- set as_email = "nullif(lower(" ~ cx_trim(text) ~ "), '')" -%}
    {%- set as_phone = "nullif(" ~ cx_digits_only(text) ~ ", '')" -%}
    {%- if kind == 'email' -%}
        {{ cx_salted_hash("'email'", as_email) }}
    {%- elif kind == 'phone' -%}
        {{ cx_salted_hash("'phone'", as_phone) }}
    {%- elif kind == 'name' -%}
        {{ cx_salted_hash("'name'", as_email) }}
    {%- elif kind == 'endpoint' -%}
        case
            when {{ text }} like '%@%' then {{ cx_salted_hash("'email'", as_email) }}
            else {{ cx_salted_hash("'phone'", as_phone) }}
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error("cx_pii_hash: unknown kind '" ~ kind ~ "' (email, phone, endpoint, name)") }}
    {%- endif -%}
{%- endmacro %}
