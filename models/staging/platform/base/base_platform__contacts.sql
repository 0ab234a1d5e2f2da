{{ cx_stage_source('platform', 'contacts') }}
