{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['_source_file', '_file_row_number'],
) }}
{#- rank_in_second_pass: the full refresh streams the 60 M events once and ranks only the re-delivered keys in a
    second pass (cx_stage_source) -#}
{{ cx_stage_source(
    'platform',
    'contact_events',
    orphan_parent=ref('stg_platform__contacts'),
    rank_in_second_pass=true,
) }}
