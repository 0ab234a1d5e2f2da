{% macro cx_amazon_connect_contact_records() -%}
    {#- SPEC §8.2: each Amazon Connect contact record line mapped onto SPEC §2's `contacts` columns, as text, for
    base_platform__contacts to validate, rank and store with the landing zone's rows (cx_stage_source: one set of
    rules for every source). Each line is parsed once, into an explicit schema (from_json); a line that is not a
    JSON object is flagged _is_malformed (quarantined as malformed_json). Enum values are mapped where Connect's are
    known and passed through otherwise, so a new value fails the contract's check (unknown_enum) instead of being
    bucketed. Records that are no customer's contact carry _excluded_reason (task, monitor, disconnect_flow).
    A macro, not a view: base_platform__contacts inlines it (cx_stage_source reads it once per build, only the
    files it has not read yet). A view would store its SQL in the published file, and that SQL holds the salt
    of the endpoint's hash (SPEC §7: whoever opens the file could then brute-force the hashed phone numbers). -#}
{%- set record_schema = {
    'ContactId': 'VARCHAR',
    'InitialContactId': 'VARCHAR',
    'PreviousContactId': 'VARCHAR',
    'Channel': 'VARCHAR',
    'InitiationMethod': 'VARCHAR',
    'InitiationTimestamp': 'VARCHAR',
    'DisconnectTimestamp': 'VARCHAR',
    'LastUpdateTimestamp': 'VARCHAR',
    'DisconnectReason': 'VARCHAR',
    'CustomerEndpoint': {'Address': 'VARCHAR', 'Type': 'VARCHAR'},
    'Queue': {'Name': 'VARCHAR', 'EnqueueTimestamp': 'VARCHAR', 'DequeueTimestamp': 'VARCHAR'},
    'Agent': {
        'ARN': 'VARCHAR',
        'ConnectedToAgentTimestamp': 'VARCHAR',
        'AgentInteractionDuration': 'VARCHAR',
        'CustomerHoldDuration': 'VARCHAR',
        'NumberOfHolds': 'VARCHAR',
        'AfterContactWorkDuration': 'VARCHAR',
    },
    'Attributes': 'MAP(VARCHAR, VARCHAR)',
} -%}
{%- set attribute = {} -%}
{%- for name in ['customer_id', 'intent', 'disposition', 'case_id', 'bot_outcome', 'ai_assist', 'auth_method',
    'auth_result', 'synthetic_voice_score'] -%}
    {#- an attribute set to an empty string is not set (flows clear attributes that way) -#}
    {%- do attribute.update({name: "nullif(" ~ cx_trim("records.record.Attributes['"
        ~ var('amazon_connect_attribute_' ~ name) ~ "']") ~ ", '')"}) -%}
{%- endfor %}

{#- named at parse time (the DAG); at run time only when the adapter is on, so another source's unit test needs no
    Connect fixture -#}
{%- set contact_record_lines = source('amazon_connect', 'contact_records')
    if not execute or 'amazon_connect' in cx_enabled_sources() else none %}

with

lines as (
    {%- if 'amazon_connect' in cx_enabled_sources() %}
    select * from {{ contact_record_lines }}
    {%- else %}
    -- the adapter is off (var sources / CX_SOURCES): no files are read, not even looked for
        select
            cast(null as {{ dbt.type_string() }}) as filename,
            cast(null as {{ dbt.type_string() }}) as line,
            cast(null as {{ dbt.type_bigint() }}) as file_row_number
        where false
    {%- endif %}
),

records as (
    select
        filename,
        file_row_number,
        line,
        case
            when ltrim(line) like '{{ '{' }}%' then {{ cx_parse_json_record('line', record_schema) }}
        end as record
    from lines
),

mapped as (
    -- noqa: disable=CP02
    -- (Connect's field names are CamelCase, as Amazon's contact record data model writes them)
    select
        records.record.ContactId as contact_id,
        coalesce(records.record.InitialContactId, records.record.ContactId) as initial_contact_id,
        records.record.PreviousContactId as previous_contact_id,
        {{ attribute.customer_id }} as customer_id,
        case upper(trim(records.record.Channel))
            when 'VOICE' then 'voice'
            when 'CHAT' then 'chat'
            when 'EMAIL' then 'email'
            else records.record.Channel
        end as channel,
        case
            when upper(trim(records.record.InitiationMethod)) = 'INBOUND' then 'inbound'
            when upper(trim(records.record.InitiationMethod)) in ('OUTBOUND', 'EXTERNAL_OUTBOUND') then 'outbound'
            when upper(trim(records.record.InitiationMethod)) in ('TRANSFER', 'QUEUE_TRANSFER') then 'transfer'
            when upper(trim(records.record.InitiationMethod)) like 'CALLBACK%' then 'callback'
            when upper(trim(records.record.InitiationMethod)) in ('API', 'WEBRTC_API', 'AGENT_REPLY', 'FLOW')
                then 'api'
            else records.record.InitiationMethod
        end as initiation_method,
        records.record.Queue.Name as queue,
        -- the agent's id is the last segment of the agent's ARN (…:instance/<instance id>/agent/<agent id>)
        nullif(regexp_extract(records.record.Agent.ARN, '([^/]+)$', 1), '') as agent_id,
        {{ attribute.intent }} as intent,
        records.record.InitiationTimestamp as initiated_at,
        records.record.Queue.EnqueueTimestamp as enqueued_at,
        records.record.Agent.ConnectedToAgentTimestamp as connected_to_agent_at,
        records.record.DisconnectTimestamp as disconnected_at,
        lower(records.record.DisconnectReason) as disconnect_reason,
        {{ attribute.disposition }} as disposition,
        -- SPEC §7: this view is the first reader of the records, so the endpoint is hashed here
        {{ cx_pii_hash('records.record.CustomerEndpoint.Address', 'endpoint') }} as customer_endpoint_hash,
        {{ attribute.case_id }} as case_id,
        -- SPEC §8.1: the platform's version field is the row's _loaded_at
        records.record.LastUpdateTimestamp as _loaded_at,
        -- what the record carries beyond SPEC §2's columns (docs/sources/amazon_connect.md)
        records.record.Queue.DequeueTimestamp as dequeued_at,
        records.record.Agent.CustomerHoldDuration as hold_seconds_reported,
        records.record.Agent.NumberOfHolds as holds_reported,
        records.record.Agent.AgentInteractionDuration as agent_interaction_seconds,
        records.record.Agent.AfterContactWorkDuration as after_contact_work_seconds,
        {{ attribute.bot_outcome }} as bot_outcome,
        {{ attribute.ai_assist }} as ai_assist,
        {{ attribute.auth_method }} as auth_method,
        {{ attribute.auth_result }} as auth_result,
        {{ attribute.synthetic_voice_score }} as synthetic_voice_score,
        records.record is null as _is_malformed,
        case
            when upper(trim(records.record.Channel)) = 'TASK' then 'task'
            when upper(trim(records.record.InitiationMethod)) = 'MONITOR' then 'monitor'
            when upper(trim(records.record.InitiationMethod)) = 'DISCONNECT' then 'disconnect_flow'
        end as _excluded_reason,
        -- the line for quarantine (SPEC §6), without personal data (SPEC §7): the endpoint replaced by its hash,
        -- then anything shaped like an e-mail address or a phone number (9+ digits) masked, since a line that is
        -- not JSON, or an attribute a flow set, can hold one anywhere
        {{ cx_regexp_replace_all(
            cx_regexp_replace_all(
                "case when records.record.CustomerEndpoint.Address is not null then replace(records.line, '\"' || "
                ~ "records.record.CustomerEndpoint.Address || '\"', '\"' || "
                ~ cx_pii_hash('records.record.CustomerEndpoint.Address', 'endpoint')
                ~ " || '\"') else records.line end",
                '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+',
                '<email>'
            ),
            '\\+?[0-9](?:[ ().-]*[0-9]){8,}',
            '<phone>'
        ) }} as _raw_line,
        records.filename,
        records.file_row_number
    from records
    -- noqa: enable=CP02
),

final as (
    select * from mapped
)

select * from final
{%- endmacro %}
