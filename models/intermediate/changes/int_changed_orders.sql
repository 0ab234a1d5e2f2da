{#- The orders an incremental run must take into account: every order with a row the base model wrote after the
    watermark, once per customer it was ever delivered with (a moved order changes both customers' journeys). -#}
{{ cx_changed_customer_keys('base_crm__orders', 'order_id') }}
