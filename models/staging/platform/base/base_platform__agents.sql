{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['_source_file', '_file_row_number'],
) }}
{{ cx_stage_source('platform', 'agents') }}
