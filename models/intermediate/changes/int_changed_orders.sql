{#- The orders an incremental run must take into account: every order with a row the base model wrote after the
    watermark, once per customer and order time it was ever delivered with (a moved order changes both customers'
    journeys; a re-timed one, the journeys whose purchase window held either time). -#}
{{ cx_changed_customer_keys('base_crm__orders', 'order_id', version_columns=['ordered_at']) }}
