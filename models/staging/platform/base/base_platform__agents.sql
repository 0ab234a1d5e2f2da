{{ cx_stage_source('platform', 'agents') }}
