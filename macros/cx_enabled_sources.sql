{% macro cx_enabled_sources() -%}
    {#- The sources switched on (SPEC §8.1): var('sources'), a list or a comma-separated string (the env var
        CX_SOURCES feeds it), trimmed and lower-cased; an unknown name stops the build with the list of known ones. -#}
    {%- set configured = var('sources') -%}
    {%- if configured is string -%}
        {%- set configured = configured.split(',') -%}
    {%- endif -%}
    {%- set known = cx_known_sources() -%}
    {%- set enabled = [] -%}
    {%- for name in configured -%}
        {%- set cleaned = name | string | trim | lower -%}
        {%- if cleaned and cleaned not in known -%}
            {{ exceptions.raise_compiler_error("unknown source '" ~ cleaned ~ "' in var sources / CX_SOURCES; known: "
                ~ (known | join(', ')) ~ " (e.g. CX_SOURCES=landing_zone,amazon_connect)") }}
        {%- endif -%}
        {%- if cleaned and cleaned not in enabled -%}
            {%- do enabled.append(cleaned) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(enabled) }}
{%- endmacro %}
