{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['_source_file', '_file_row_number'],
) }}
{#- rank_in_second_pass: a full refresh from the landing zone alone streams the contacts once and ranks only the
    re-delivered keys in a second pass, because materializing all 53 columns of every row spilled to disk at L
    (cx_stage_source says when the path applies and what it saved) -#}
{{ cx_stage_source('platform', 'contacts', rank_in_second_pass=true) }}
