{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['_source_file', '_file_row_number'],
) }}
{#- rank_in_second_pass: a full refresh from the landing zone alone streams the contacts once and ranks only the
    re-delivered keys in a second pass; materializing all 53 columns of every row spilled to disk at L (-8 % of
    the model's time, benchmarks/results/fixes.md, seventeenth round). With a platform switched on, its records
    are a second input and every row is materialized and ranked together (cx_stage_source). -#}
{{ cx_stage_source('platform', 'contacts', rank_in_second_pass=true) }}
