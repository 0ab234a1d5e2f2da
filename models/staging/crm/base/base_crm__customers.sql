{{ cx_stage_source('crm', 'customers') }}
