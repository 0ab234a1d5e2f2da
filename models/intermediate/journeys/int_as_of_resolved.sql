{#- The as_of moment of this build (SPEC §4.7): var('as_of') when given, else the latest disconnected_at among
    accepted contacts. Never the wall clock. One row either way: the explicit value is selected on its own (it once
    was selected from the contacts, one row per contact, which every model's cross join with as_of multiplied). -#}
with

contacts as (  -- noqa: ST03
    select * from {{ ref('stg_platform__contacts') }}
),

resolved as (
    {%- if cx_as_of_literal() is not none %}
        select
            {{ cx_as_of_literal() }} as as_of,
            true as is_explicit
    {%- else %}
        select
            max(disconnected_at) as as_of,
            false as is_explicit
        from contacts
    {%- endif %}
)

select * from resolved
