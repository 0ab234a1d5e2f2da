{% macro cx_stage_typed_expressions(columns, raw_types) -%}
    {#- {column name: the SQL that types one raw column} for cx_stage_source, given the raw column types of one
        input (cx_raw_column_types; {} = every column delivered as text): timestamps parsed to naive UTC, enums
        and currencies trimmed and lower-cased, intents normalised, numbers and booleans cast (null when they do
        not cast), personal data hashed (cx_pii_hash; a name that is not exposed is hashed only for the raw-row
        JSON and not stored), text trimmed. Extra columns (cx_type lower) are trimmed and lower-cased. -#}
    {%- set typed_exprs = {} -%}
    {%- set text_type = dbt.type_string() -%}
    {%- for c in columns -%}
        {%- set q = adapter.quote(c.name) -%}
        {%- if c.cx_type == 'timestamp' -%}
            {%- do typed_exprs.update({c.name: cx_parse_timestamp(q, raw_types.get(c.name | lower))}) -%}
        {%- elif c.cx_type in ('enum', 'currency', 'lower') -%}
            {%- do typed_exprs.update({c.name: "lower(" ~ cx_trim('cast(' ~ q ~ ' as ' ~ text_type ~ ')') ~ ")"}) -%}
        {%- elif c.cx_type == 'intent' -%}
            {%- do typed_exprs.update({c.name: "nullif(lower(" ~ cx_trim('cast(' ~ q ~ ' as ' ~ text_type ~ ')') ~ "), '')"}) -%}
        {%- elif c.cx_type == 'double' -%}
            {%- do typed_exprs.update({c.name: cx_safe_cast(q, 'double')}) -%}
        {%- elif c.cx_type == 'decimal' -%}
            {%- do typed_exprs.update({c.name: cx_safe_cast(q, 'decimal(12, 2)')}) -%}
        {%- elif c.cx_type == 'boolean' -%}
            {%- do typed_exprs.update({c.name: cx_safe_cast(q, dbt.type_boolean())}) -%}
        {%- elif c.get('pii') and not (c.pii == 'name' and c.stored_as) -%}
            {#- personal data: hashed in the first model that reads it; no later layer sees the value -#}
            {%- do typed_exprs.update({c.name: cx_pii_hash(q, c.pii)}) -%}
        {%- elif c.cx_type == 'json' -%}
            {%- do typed_exprs.update({c.name: "cast(" ~ q ~ " as " ~ text_type ~ ")"}) -%}
        {%- else -%}
            {%- do typed_exprs.update({c.name: cx_trim('cast(' ~ q ~ ' as ' ~ text_type ~ ')')}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(typed_exprs) }}
{%- endmacro %}
