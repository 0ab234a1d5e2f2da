{#- The subscriptions an incremental run must recompute: every subscription with a row (accepted, superseded or
    quarantined) the base model wrote after the watermark, once per customer it was ever delivered with — so a
    subscription that moved to another customer changes both customers' spells and journeys. -#}
{{ cx_changed_customer_keys('base_crm__subscriptions', 'subscription_id') }}
