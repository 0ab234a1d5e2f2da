with

intents as (
    select * from {{ ref('intents') }}
),

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

observed as (
    select
        intent,
        count(*) as attempts
    from attempts
    group by intent
),

final as (
    select
        coalesce(intents.intent, observed.intent) as intent,
        coalesce(intents.intent_group, 'other') as intent_group,
        coalesce(intents.is_retention_risk, false) as is_retention_risk,
        coalesce(
            intents.description,
            case
                when observed.intent = 'unclassified' then 'No intent was recorded on any contact of the attempt'
                else 'Not in the intents seed: add it there to give it a group'
            end
        ) as description,
        intents.intent is not null as is_in_seed,
        coalesce(observed.attempts, 0) as attempts
    from intents
    full outer join observed
        on intents.intent = observed.intent
)

select * from final
