{{ cx_stage_source('platform', 'survey_responses') }}
