{% macro cx_excluded_reasons() -%}
    {#- SPEC §8.1 (and §8.2, §8.4, §8.5): why a platform's record is excluded, not quarantined. The one list: the
        mappings' _excluded_reason values and the data tests of every _excluded_reason / excluded reason column. -#}
    {{ return(['task', 'monitor', 'disconnect_flow', 'deleted', 'merged', 'case_of_session', 'system']) }}
{%- endmacro %}
