{#- The as_of moment of this build (SPEC §4.7): var('as_of') when given, else the latest disconnected_at among
    accepted contacts. Never the wall clock. -#}
with

contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

resolved as (
    select
        {%- if cx_as_of_literal() is not none %}
        {{ cx_as_of_literal() }} as as_of,
        true as is_explicit
        {%- else %}
            max(disconnected_at) as as_of,
            false as is_explicit
        {%- endif %}
    from contacts
)

select * from resolved
