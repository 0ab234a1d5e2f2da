{{ cx_stage_source('platform', 'fraud_cases') }}
