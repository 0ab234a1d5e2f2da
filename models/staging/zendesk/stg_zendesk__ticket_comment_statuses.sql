{#- Every delivered Zendesk comment with its SPEC §6 / §8.1 status, in the shape of stg_quality__row_statuses (which
    unions it, as table zendesk.ticket_comment), so a comment is never lost silently: comments feed no SPEC §2 table
    (a ticket's first agent reply is read from them), but each is accounted for. accepted: its ticket has an
    accepted version; superseded: an earlier delivery of the same comment id; excluded: deleted in Zendesk (reason
    deleted), or its ticket was excluded (its reason: deleted, merged); quarantined as orphan: no valid version of
    its ticket (an unknown ticket, or one whose every version was quarantined). raw_row (quarantined rows): the ids,
    time and visibility, never the body (SPEC §7). A view: recomputed at every build from the ticket statuses
    (cx_child_row_statuses). -#}
{{ config(materialized='view') }}
{{ cx_child_row_statuses(
    'zendesk', 'ticket_comment',
    "'zendesk:' || cast(ranked.ticket_id as " ~ dbt.type_string() ~ ")",
    'true',
    ['id', 'ticket_id', 'user_id', 'created', 'public', 'filename']
) }}
