{{ cx_stage_source('crm', 'orders') }}
