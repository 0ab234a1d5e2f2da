{% macro cx_row_statuses(with_excluded=true) -%}
    {#- The SPEC §6 / §8.1 status of every raw row: accepted, superseded, quarantined and, for a table a platform
        adapter feeds, excluded (a record that is no customer's contact). The one list the data tests accept. -#}
    {%- set statuses = ['accepted', 'superseded', 'quarantined'] -%}
    {%- if with_excluded -%}
        {%- do statuses.append('excluded') -%}
    {%- endif -%}
    {{ return(statuses) }}
{%- endmacro %}
