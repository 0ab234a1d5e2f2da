{{ cx_stage_source('crm', 'subscriptions') }}
