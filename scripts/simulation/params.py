"""Constants of the simulated contact centre: enums, behavioural rates and wart proportions.

Every number that shapes the data lives here, so the module docstring of
``scripts.generate_data`` and the tests can refer to one place.
"""

from __future__ import annotations

import numpy as np

from scripts.ops.contract import accepted_values

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600
SECONDS_PER_MINUTE = 60
MAX_ATTEMPTS = 6  # attempts per issue (journey as simulated)
MAX_LEGS = 4  # contacts per transfer chain

# --- SPEC §2 enums, from the raw contract (the sources YAML; scripts/ops/contract.py) -----------
# The simulator refers to values by name; a value added to an enum is accepted by the warehouse at once and
# is generated once the behaviour tables below give it a share.
CHANNELS = accepted_values("contacts", "channel")
VOICE, CHAT, EMAIL, MESSAGING, WEB = (
    CHANNELS.index(c) for c in ("voice", "chat", "email", "messaging", "web")
)
INITIATION_METHODS = accepted_values("contacts", "initiation_method")
INBOUND, OUTBOUND, TRANSFER, CALLBACK, API = (
    INITIATION_METHODS.index(m) for m in ("inbound", "outbound", "transfer", "callback", "api")
)
DISPOSITIONS = accepted_values("contacts", "disposition")
RESOLVED, UNRESOLVED, ESCALATED, ABANDONED, TRANSFERRED = (
    DISPOSITIONS.index(d) for d in ("resolved", "unresolved", "escalated", "abandoned", "transferred")
)
EVENT_TYPES = accepted_values("contact_events", "event_type")
EV = {name: i for i, name in enumerate(EVENT_TYPES)}
# Tie-break order for events with the same timestamp (lower first).
EVENT_ORDER = np.array([1, 2, 3, 4, 6, 7, 9, 1, 2, 3, 4, 5, 8, 1, 6, 10], dtype=np.int8)
SEGMENTS = accepted_values("customers", "segment")
SURVEY_TYPES = accepted_values("survey_responses", "survey_type")
CSAT, CES, NPS = (SURVEY_TYPES.index(s) for s in ("csat", "ces", "nps"))
ORDER_STATUSES = accepted_values("orders", "status")
CURRENCIES = ("USD", "EUR", "GBP", "CAD")  # JPY is in the seed but never generated

# --- intents (the `intents` seed) plus a few free-text ones the warehouse maps to `other` ---
INTENTS = (
    "billing_question",
    "billing_dispute",
    "cancellation",
    "complaint",
    "technical_issue",
    "outage_report",
    "password_reset",
    "account_update",
    "order_status",
    "product_question",
    "refund_request",
    "plan_change",
    "warranty_claim",  # not in the seed
    "delivery_damage",  # not in the seed
    "loyalty_points",  # not in the seed
)
N_KNOWN_INTENTS = 12
INTENT_ID = {name: i for i, name in enumerate(INTENTS)}
# share of issues per intent (sums to 1; the last three ≈ 2 % are unknown to the seed)
INTENT_MIX = np.array(
    [0.14, 0.05, 0.05, 0.04, 0.15, 0.03, 0.12, 0.08, 0.12, 0.09, 0.05, 0.06, 0.008, 0.006, 0.006]
)
INTENT_MIX = INTENT_MIX / INTENT_MIX.sum()
# bot success (containment that the customer accepts) by intent
BOT_SUCCESS = np.array(
    [0.50, 0.08, 0.10, 0.08, 0.28, 0.55, 0.85, 0.60, 0.80, 0.50, 0.25, 0.35, 0.20, 0.15, 0.45]
)
# agent resolution probability by intent (before AI uplift and later-attempt bonus)
AGENT_RESOLVE = np.array(
    [0.80, 0.55, 0.62, 0.55, 0.62, 0.60, 0.90, 0.85, 0.88, 0.80, 0.70, 0.80, 0.65, 0.60, 0.80]
)
# handle-time multiplier by intent
HANDLE_MULT = np.array([0.9, 1.3, 1.1, 1.2, 1.3, 0.8, 0.6, 0.8, 0.7, 0.9, 1.0, 1.0, 1.1, 1.0, 0.8])
# how keen the customer is to come back after an unsolved attempt
COME_BACK = np.array(
    [0.65, 0.85, 0.55, 0.75, 0.80, 0.60, 0.85, 0.70, 0.70, 0.55, 0.80, 0.65, 0.75, 0.75, 0.5]
)
RETENTION_RISK = np.zeros(len(INTENTS), dtype=bool)
RETENTION_RISK[[INTENT_ID[k] for k in ("cancellation", "billing_dispute", "complaint")]] = True
# first-channel affinity by intent over CHANNELS (voice, chat, email, messaging, web)
CHANNEL_AFFINITY = np.array(
    [
        [0.45, 0.20, 0.15, 0.10, 0.10],  # billing_question
        [0.55, 0.12, 0.20, 0.08, 0.05],  # billing_dispute
        [0.60, 0.15, 0.10, 0.08, 0.07],  # cancellation
        [0.45, 0.15, 0.25, 0.10, 0.05],  # complaint
        [0.45, 0.25, 0.08, 0.10, 0.12],  # technical_issue
        [0.55, 0.15, 0.03, 0.12, 0.15],  # outage_report
        [0.25, 0.25, 0.05, 0.10, 0.35],  # password_reset
        [0.30, 0.25, 0.15, 0.10, 0.20],  # account_update
        [0.20, 0.30, 0.10, 0.20, 0.20],  # order_status
        [0.30, 0.30, 0.15, 0.10, 0.15],  # product_question
        [0.40, 0.20, 0.20, 0.10, 0.10],  # refund_request
        [0.40, 0.25, 0.10, 0.10, 0.15],  # plan_change
        [0.40, 0.20, 0.25, 0.10, 0.05],  # warranty_claim
        [0.35, 0.25, 0.25, 0.10, 0.05],  # delivery_damage
        [0.20, 0.30, 0.10, 0.20, 0.20],  # loyalty_points
    ]
)
PREFERRED_STICKINESS = 0.65  # first attempt on the preferred channel when there is one
SWITCH_CHANNEL_ON_RETURN = 0.5
# queue group per intent (queues are '<voice|digital>_<group>'; teams are the groups)
TEAMS = ("general", "billing", "tech_support", "retention", "orders", "customer_care")
INTENT_TEAM = np.array([1, 1, 3, 5, 2, 2, 2, 0, 4, 0, 1, 3, 5, 4, 0])
TEAM_SHARE = np.array([0.25, 0.20, 0.22, 0.10, 0.13, 0.10])
SITES = ("austin", "manila", "dublin", "toronto", "krakow")
QUEUES = tuple(f"{kind}_{team}" for kind in ("voice", "digital") for team in TEAMS)

# --- channel mechanics (index by CHANNELS) ----------------------------------------------------
P_IDENTIFIED = np.array([0.93, 0.95, 0.97, 0.97, 0.96])
P_BOT = np.array([0.45, 0.85, 0.0, 0.80, 0.92])  # a bot answers first (voice: IVR voice bot)
BASE_WAIT_S = np.array([55.0, 40.0, 4 * 3600.0, 300.0, 45.0])  # mean queue wait at average load
PATIENCE_S = np.array([900.0, 1000.0, 1e9, 4 * 3600.0, 900.0])  # mean patience before abandoning
HANDLE_MEDIAN_S = np.array([380.0, 470.0, 300.0, 420.0, 420.0])
P_TRANSFER = np.array([0.13, 0.08, 0.03, 0.05, 0.06])
P_HOLD = np.array([0.25, 0.10, 0.0, 0.05, 0.08])
P_IVR_DROP = 0.02
P_CONSULT = 0.12  # share of transfers with an overlapping consult leg
P_UNMATCHED_HOLD = 0.04
P_INTENT_CAPTURED = 0.94
P_ID_LATER_LEG = 0.5
BOT_IDS = ("voicebot_v2", "chatbot_v3", "mailbot_v1", "msgbot_v1", "webassist_v1")
P_BOT_HANDOFF = 0.85  # of the bot sessions that do not succeed; the rest fail or drop evenly
P_BOT_FALSE_SUCCESS = 0.20  # bot says success, the customer's problem is not solved
P_AGENT_FALSE_RESOLVED = 0.08
P_ESCALATE = 0.06
P_OUTBOUND_FOLLOWUP = 0.7  # escalations get an outbound follow-up attempt
P_CALLBACK_AFTER_ABANDON = 0.3  # voice abandons that come back as a callback within hours
P_QUICK_RETRY_AFTER_ABANDON = 0.5  # abandons retried within minutes-hours (else 1-10 days)

# AI assistance for agents: adoption ramps linearly from AI_START to AI_END over AI_RAMP_DAYS of
# simulated time (a function of the day since --start-date, never of --days).
AI_START, AI_END, AI_RAMP_DAYS = 0.10, 0.60, 180.0
AI_RESOLVE_UPLIFT = 0.08
AI_HANDLE_FACTOR = 0.85
AI_FALSE_RESOLVED = 0.05

# intraday (UTC hour) and weekday load profile
HOURLY = np.array(
    [0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.4, 1.7, 1.8, 1.7,
     1.5, 1.6, 1.7, 1.6, 1.4, 1.2, 1.0, 0.9, 0.8, 0.6, 0.45, 0.3]
)  # fmt: skip
HOURLY_P = HOURLY / HOURLY.sum()
HOURLY_LOAD = HOURLY / np.average(HOURLY, weights=HOURLY_P)  # wait multiplier, mean 1 over calls
WEEKEND_FACTOR = 0.55

# --- customers, subscriptions, orders --------------------------------------------------------
SEGMENT_SHARE = np.array([0.82, 0.14, 0.04])
REGIONS = ("us_east", "us_west", "canada", "uk", "eu_central", "apac")
REGION_SHARE = np.array([0.36, 0.30, 0.08, 0.10, 0.11, 0.05])
REGION_CURRENCY = np.array([0, 0, 3, 2, 1, 0])  # index into CURRENCIES
CURRENCY_PRICE_FACTOR = np.array([1.0, 0.95, 0.80, 1.35])
REGION_PHONE_PREFIX = ("+1-555", "+1-555", "+1-555", "+44-20", "+49-30", "+61-2")
PREFERRED_SHARE = np.array([0.38, 0.20, 0.10, 0.10, 0.07, 0.15])  # 5 channels + null
SHARE_NEW_CUSTOMERS = 0.15  # created during the first 365 simulated days
SHARE_PRE_HISTORY = 0.20  # existing customers with an older CRM version in the first load
ISSUE_RATE = np.array([0.013, 0.020, 0.030])  # issues per customer-day by segment
INACTIVE_ISSUE_FACTOR = 0.2
P_OUTAGE_DAY = 0.04
PLANS = (
    ("basic", 0, 19.99),
    ("plus", 0, 39.99),
    ("premium", 0, 69.99),
    ("team", 1, 149.0),
    ("business", 1, 299.0),
    ("enterprise", 2, 1499.0),
    ("enterprise_plus", 2, 2999.0),
)
PLAN_SEGMENT = np.array([p[1] for p in PLANS])
PLAN_PRICE = np.array([p[2] for p in PLANS])
PLAN_WEIGHT = np.array([0.5, 0.35, 0.15, 0.6, 0.4, 0.7, 0.3])
P_SECOND_SUB = np.array([0.20, 0.35, 0.50])
CANCEL_HAZARD = np.array([0.0006, 0.0004, 0.0002])  # per subscription-day, baseline
CANCEL_REASONS = ("price", "service", "moved", "competitor", "no_longer_needed", "unresolved_issue")
P_WINBACK_PER_DAY = 0.0008
P_CANCEL_AFTER_CANCELLATION_CALL = (0.15, 0.65)  # (resolved, unresolved)
P_SAVE_OFFER = 0.6  # resolved cancellation calls handled by an agent that get a discount
P_CANCEL_RISK_INTENT_UNRESOLVED = 0.15  # billing_dispute / complaint left unresolved
RISK_DAYS = 90
MAX_RISK = 6.0  # cap of the churn-hazard multiplier after a bad journey
ORDER_RATE = np.array([1 / 60, 1 / 25, 1 / 12])  # orders per customer-day at satisfaction 0.7
ORDER_MEDIAN = np.array([60.0, 400.0, 2500.0])
ORDER_STATUS_P = np.array([0.95, 0.03, 0.02])

# --- surveys ------------------------------------------------------------------------------------
P_SURVEY = 0.15  # of eligible contacts (final leg, a bot or an agent took part)
SURVEY_TYPE_P = np.array([0.60, 0.25, 0.15])
P_SURVEY_EMAIL_LINK = 0.25  # answered via e-mail link: contact_id null, customer_id set

# --- voice security -----------------------------------------------------------------------------
FRAUD_RATE = 1.0e-4  # fraudulent calls per active customer-day (≈1 % of voice calls)
P_DEEPFAKE = 0.55
P_NOISY_LINE = 0.005  # genuine callers whose line pushes the synthetic score up
AUTH_METHODS = ("voice_biometric", "kba", "otp")
AUTH_RESULTS = ("pass", "fail", "step_up")
SENSITIVE_ACTIONS = (
    "change_address",
    "change_email",
    "add_payee",
    "wire_transfer",
    "reset_password",
)
FRAUD_TYPES = ("account_takeover", "synthetic_voice", "social_engineering", "card_not_present")
UNRELATED_FRAUD_RATE = 1.5e-5  # card fraud reported by customers, not tied to a contact

# --- load lag and warts (always on) -----------------------------------------------------------
LOAD_LAG_MEDIAN_S = 900.0
P_LATE = 0.01  # rows that land 1-3 days late
P_DUPLICATE = 0.007  # re-delivered with a later _loaded_at
P_DUPLICATE_CHANGED = 0.4  # of those, with a changed non-key value
P_ENUM_STYLE = 0.02  # enum values in upper / title case or padded with spaces
P_INTENT_STYLE = 0.03
TEXT_TS_FILES = {"survey_responses": 0.25, "orders": 0.10, "contacts": 0.05}
TZ_TS_FILES = {"orders": 0.15, "fraud_cases": 0.30}
EXTRA_COLUMN_FILES = {"contacts": 0.10, "contact_events": 0.05, "customers": 0.20}
P_TEXT_TS_OFFSET = 0.5  # text timestamps with '+02:00' rather than 'Z'

# --- Amazon Connect contact records (--format amazon_connect) ---------------------------------
# Each choice is a deterministic function of the contact id (the same for every re-delivery).
CONNECT_P_INITIAL_ID_NULL = 0.5  # head contacts whose InitialContactId is null (not transferred)
# initiation methods written with a platform variant that the adapter maps back (share of each)
CONNECT_METHOD_VARIANTS = {
    "transfer": ("QUEUE_TRANSFER", 0.20),
    "callback": ("CALLBACK_PREVIEW", 0.25),
    "outbound": ("EXTERNAL_OUTBOUND", 0.20),
    "api": ("WEBRTC_API", 0.30),
}
CONNECT_P_NO_SYSTEM_ENDPOINT = 0.10  # older records without the SystemEndpoint field
CONNECT_P_NO_ACW_TIMESTAMPS = 0.10  # older records without Agent.AfterContactWork*Timestamp
CONNECT_ACW_SECONDS = (20, 120)  # after-contact work, whole seconds, inclusive
# identified contacts on the customer's own phone / e-mail whose customer_id attribute is left
# out, so that the warehouse's identity match (SPEC §8.1) must recover it
CONNECT_P_CUSTOMER_ID_DROPPED = 0.10
# records that are no customer's contact, per day: (fewest, most), by exclusion reason
CONNECT_EXCLUDED_PER_DAY = {"monitor": (1, 3), "task": (1, 4), "disconnect_flow": (1, 2)}
CONNECT_EXCLUDED_START_S = (0.0, 21 * 3600.0)  # seconds after midnight UTC
CONNECT_EXCLUDED_DURATION_S = (60.0, 1800.0)
CONNECT_EXCLUDED_LAG_S = (60.0, 3600.0)  # LastUpdateTimestamp after DisconnectTimestamp (same day)


# --- journeys, attempts and contact legs (scripts.simulation.journeys) -------------------------
# Pairs: "(low, high)" of a uniform draw, "(n, p)" of a binomial, "(a, b)" of a beta,
# "(mean, sd)" of a normal, "(median, sigma)" of a log-normal. Times in seconds unless named _DAYS.

# returning after an unsolved attempt
COME_BACK_ESCALATED_BONUS = 0.1  # added to COME_BACK after an escalated attempt
RETURN_GAP_MIN_DAYS = 1.0  # a later attempt comes 1 + 9 x beta(1, 2.5) days after the last one ...
RETURN_GAP_SPREAD_DAYS = 9.0
RETURN_GAP_BETA = (1.0, 2.5)
RETURN_MIN_AFTER_END_S = (
    SECONDS_PER_HOUR  # ... at a time of day at least this long after it, else a day later
)
OUTBOUND_FOLLOWUP_MIN_DAYS = 1.0  # an outbound follow-up of an escalation comes 1 + 2 x U(0, 1) days later
OUTBOUND_FOLLOWUP_SPREAD_DAYS = 2.0
QUICK_RETRY_MIN_S = 300.0  # callbacks and quick retries after an abandon: 5 min + exponential ...
QUICK_RETRY_MEAN_EXTRA_S = 3000.0  # ... with this mean

# customer effort of a journey: 1 a channel switch or later attempt or transfer or failed authentication
EFFORT_WAIT_UNIT_S = 300.0  # 1 per 5 minutes of queue wait
EFFORT_HOLD_UNIT_S = 180.0  # 1 per 3 minutes on hold

# experience (0-1) and churn-risk multiplier after a journey, by its effort
EXPERIENCE_BASE = 0.6
EXPERIENCE_SOLVED_BONUS = 0.35
EXPERIENCE_PER_EFFORT = 0.06  # subtracted per effort point
EXPERIENCE_NOISE_SD = 0.1
RISK_SOLVED_BASE = 1.0
RISK_SOLVED_FREE_EFFORT = 4  # effort points a solved journey costs no extra risk for
RISK_SOLVED_PER_EFFORT = 0.15  # per effort point above them
RISK_UNSOLVED_BASE = 2.5
RISK_UNSOLVED_PER_EFFORT = 0.5
RISK_UNSOLVED_EFFORT_CAP = 6  # effort points counted at most (then MAX_RISK caps the total)
CANCEL_AFTER_JOURNEY_MIN_S = 600.0  # a cancellation after a journey: 10 min + exponential ...
CANCEL_AFTER_JOURNEY_MEAN_DAYS = 2.0  # ... with this mean
SAVE_OFFER_PRICE_FACTOR = (0.70, 0.85)  # price kept after a save offer, uniform
P_PLAN_UPGRADE = 0.6  # resolved plan changes that are upgrades (else downgrades)
P_ACCOUNT_UPDATE_NEW_CRM_VERSION = 0.5  # resolved account updates that write a new CRM version

# contact mechanics: seconds between steps that follow each other
STEP_S = 1.0  # e.g. the last event and the disconnect, a bot's end and the queue
AUTH_HANG_UP_S = 2.0  # a fraudster who failed authentication hangs up after this
NEXT_LEG_AFTER_S = 2.0  # a transferred contact's next leg starts this long after the agent's part
MIN_QUEUE_WAIT_S = 2.0  # added to every queue wait
P_INTENT_CAPTURED_LATER_LEG = 0.7  # a transfer leg captures an intent its attempt did not yet have

# IVR (inbound voice head legs)
IVR_EXTRA_MENUS = (2, 0.45)  # 1 + binomial menus
IVR_MENU_S = (8.0, 25.0)
IVR_OPTIONS = 5  # options 1..5 per menu

# voice authentication
P_AUTH_IDENTIFIED_CALLER = 0.88  # identified inbound voice callers asked to authenticate (fraudsters: all)
P_FRAUDSTER_VOICE_BIOMETRIC = 0.85  # fraudsters authenticated by voice biometric, else KBA
# genuine callers' first method: voice biometric, kba, otp, voice biometric with its label missing
AUTH_METHOD_P = (0.78, 0.12, 0.09, 0.01)
VOICE_MATCH_GENUINE = (84, 9)  # voice-match score (0-100), normal
VOICE_MATCH_DEEPFAKE = (76, 12)
VOICE_MATCH_FRAUDSTER = (40, 15)
SYNTHETIC_SCORE_GENUINE = (1.5, 14)  # synthetic-voice score (0-1), beta
SYNTHETIC_SCORE_NOISY_LINE = (5, 2)
SYNTHETIC_SCORE_DEEPFAKE = (7, 2)
SYNTHETIC_SCORE_FRAUDSTER = (2, 7)
VOICE_MATCH_PASS = 70  # a voice-biometric score from this passes ...
VOICE_MATCH_STEP_UP = 50  # ... from this asks for a second factor (otp), below it fails
P_KBA_PASS = (0.93, 0.45)  # (genuine, fraudster)
P_SECOND_FACTOR_PASS = (0.9, 0.35)  # (genuine, fraudster)
AUTH_FIRST_FACTOR_S = (10.0, 30.0)  # the first factor's result this long after the IVR
AUTH_SECOND_FACTOR_S = (20.0, 60.0)  # the second's this long after the first
P_FRAUDSTER_HANGS_UP = 0.7  # fraudsters who fail authentication and hang up

# bots
FRAUDSTER_BOT_FACTOR = 0.3  # multiplies P_BOT for fraudsters
BOT_EXTRA_TURNS = (4, 0.45)  # 1 + binomial turns
BOT_TURN_S = (8.0, 40.0)
BOT_CONFIDENCE_SUCCESS = (8, 2)  # turn confidence (0-1), beta, when the bot succeeds
BOT_CONFIDENCE_OTHER = (3, 3)
BOT_WRAP_UP_S = (2.0, 8.0)  # after the last turn
P_BOT_PASSWORD_RESET_ACTION = 0.5  # successful password-reset bot sessions that log the reset

# queues and outbound calls
WAIT_LOAD_EXPONENT = 1.3  # queue wait grows with the hour's load to this power
WAIT_FACTOR_TRANSFER = 0.5  # transfers wait shorter
WAIT_FACTOR_CALLBACK = 0.3  # so do callbacks ...
PATIENCE_FACTOR_CALLBACK = 5.0  # ... and they are more patient
EMAIL_MAX_WAIT_S = 36 * SECONDS_PER_HOUR
OUTBOUND_RING_S = (5.0, 25.0)
P_OUTBOUND_NO_ANSWER = 0.15

# agents
AI_ASSIST_AGENT_BASE = 0.5  # P(AI assistance) = ai_adoption x (this + the agent's AI affinity) ...
AI_ASSIST_MAX_P = 0.97  # ... at most this
HANDLE_SIGMA = 0.45  # log-normal sigma of handle time around HANDLE_MEDIAN_S
HANDLE_S = (40.0, 3600.0)  # clip of handle time
P_SECOND_HOLD = 0.3  # contacts with a hold that get a second one
# holds: (start from, start to, longest) as shares of the handle time, first and second hold
HOLD_WINDOWS = ((0.15, 0.45, 0.3), (0.55, 0.7, 0.15))
HOLD_MIN_S = 15.0  # hold time: this + exponential ...
HOLD_MEAN_EXTRA_S = 90.0  # ... with this mean
AI_EXTRA_SUGGESTIONS_MEAN = 1.2  # 1 + Poisson AI suggestions per assisted contact ...
AI_SUGGESTION_WINDOW = (0.1, 0.85)  # ... between these shares of the handle time
P_AI_SUGGESTION_ACCEPTED = 0.65
AI_SUMMARY_BEFORE_END_S = (1.0, 5.0)
# account updates: a change_address below the first cut of U(0, 1), a change_email below the second
ACCOUNT_UPDATE_ACTION_CUTS = (0.4, 0.6)
P_PASSWORD_RESET_ACTION = 0.5  # agent-handled password resets that log the reset
P_FRAUDSTER_ACTS_UNAUTHENTICATED = 0.3  # fraudsters who act although authentication did not pass
P_FRAUDSTER_ACTS = 0.8
FRAUDSTER_ACTION_P = (0.2, 0.15, 0.35, 0.3, 0.0)  # over SENSITIVE_ACTIONS
P_FRAUDSTER_SECOND_ACTION = 0.4  # then a wire transfer (an add_payee after a wire transfer)
SENSITIVE_ACTION_WINDOW = (0.4, 0.7)  # shares of the handle time
SECOND_ACTION_MAX_GAP_S = 20.0  # a second action min(this, share x handle) after the first
SECOND_ACTION_GAP_SHARE = 0.2
AGENT_RESOLVE_PER_ATTEMPT = 0.04  # later attempts resolve more often (per earlier attempt)
AGENT_RESOLVE_MAX_P = 0.97
P_FRAUDSTER_CALL_RESOLVED = 0.9
P_ESCALATED_IF_UNRESOLVED = 0.3
P_AGENT_DISCONNECTS = 0.6  # agent contacts that the agent ends (else the customer)
CONSULT_OVERLAP_S = (30.0, 120.0)  # a consult transfer keeps the leg this long past the handle time

# contacts
CASE_INTENTS = ("billing_dispute", "complaint", "refund_request")  # always get a case id (as escalations)
P_UNIDENTIFIED_RANDOM_PHONE = 0.5  # unidentified voice / messaging contacts with an unknown number
ANONYMOUS_NUMBER_RANGE = 10**7  # an unknown endpoint's number (7 digits of a phone, or in an e-mail)

# surveys: experience x = base + bonus - penalties + noise, scaled to the survey's scale
SURVEY_BASE = 0.60
SURVEY_RESOLVED_BONUS = 0.30
SURVEY_PER_EARLIER_ATTEMPT = 0.07
SURVEY_PER_EARLIER_LEG = 0.05
SURVEY_PER_WAIT_MINUTE = 0.012
SURVEY_PER_HOLD_MINUTE = 0.02
SURVEY_PER_FAILED_AUTH = 0.06
SURVEY_AI_BONUS = 0.03
SURVEY_NOISE_SD = 0.16
SURVEY_NPS_NOISE_SD = 0.08
SURVEY_SCALES = np.array([(1.0, 5.0), (1.0, 7.0), (0.0, 10.0)])  # (lowest, highest) by SURVEY_TYPES
SURVEY_SCALE_CSAT_DIGITAL = (1.0, 10.0)  # CSAT on messaging and web
SURVEY_EMAIL_DELAY_S = (2 * 3600.0, 3.0 * SECONDS_PER_DAY)  # answered via e-mail link
SURVEY_DELAY_S = (20.0, 900.0)  # answered right after the contact

# fraud cases
P_FRAUD_CASE_FRAUDSTER = (0.85, 0.25)  # reported: (a sensitive action was done, none)
P_FRAUD_CASE_FALSE_ALARM = (0.02, 0.0)  # genuine contacts reported anyway
P_FRAUD_CONFIRMED = 0.92  # of the fraudsters' cases (false alarms: never)
FRAUD_LOSS_WIRE_TRANSFER = (4000.0, 0.8)  # loss in currency units, log-normal (median, sigma)
FRAUD_LOSS_ADD_PAYEE = (1200.0, 0.7)
FRAUD_LOSS_CHANGE_ADDRESS = (300.0, 0.6)
P_FRAUD_LOSS_CHANGE_ADDRESS = 0.5  # an address change leads to a loss
FRAUD_REPORT_DELAY_MEAN_DAYS = 8.0  # exponential ...
FRAUD_REPORT_DELAY_MAX_DAYS = 45.0  # ... capped
P_FRAUD_CASE_LINKED = 0.65  # cases that name a contact (the one with the action, else the head)
P_DEEPFAKE_REPORTED_SYNTHETIC = 0.7  # deepfake cases typed synthetic_voice (else account_takeover)
P_FRAUD_REPORTED_SOCIAL = 0.6  # other fraudsters' cases typed social_engineering (else account_takeover)


def ai_adoption(day: np.ndarray | float) -> np.ndarray | float:
    """Share of agent contacts with AI assistance on simulated day ``day`` (0 = start date)."""
    return AI_START + (AI_END - AI_START) * np.minimum(np.asarray(day) / AI_RAMP_DAYS, 1.0)
