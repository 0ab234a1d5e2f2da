{% macro cx_known_sources() -%}
    {#- Every source a build can switch on (SPEC §8.1): the landing zone, then each platform adapter of
        cx_platform_adapters(); the values of source_system. -#}
    {{ return(['landing_zone'] + (cx_platform_adapters().keys() | list)) }}
{%- endmacro %}
