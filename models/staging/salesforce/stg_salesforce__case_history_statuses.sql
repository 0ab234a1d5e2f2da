{#- Every delivered Salesforce case_history row with its SPEC §6 / §8.1 status, in the shape of
    stg_quality__row_statuses (which unions it, as table salesforce.case_history), so a history row is never lost
    silently: history feeds no SPEC §2 table (a case's agent connect, queue, transfers and reopens are read from it),
    but each row is accounted for. accepted: its case has an accepted version; superseded: an earlier delivery of the
    same history id; excluded: deleted in Salesforce (reason deleted), or its case was excluded (its reason: deleted,
    merged, case_of_session); quarantined as orphan: no valid version of its case. raw_row (quarantined rows): ids,
    field and time, never the values (they may name people). A view: recomputed at every build
    (cx_child_row_statuses). -#}
{{ config(materialized='view') }}
{{ cx_child_row_statuses(
    'salesforce', 'case_history',
    'ranked.case_id',
    "salesforce_object = 'case'",
    ['id', 'case_id', 'field', 'created_date', 'filename']
) }}
