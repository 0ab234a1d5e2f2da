{{ cx_stage_source('platform', 'contact_events', orphan_parent=ref('stg_platform__contacts')) }}
