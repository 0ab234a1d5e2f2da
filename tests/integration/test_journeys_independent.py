"""An independent check of SPEC §4.1–§4.3: attempts and journeys recomputed in plain Python from the accepted
staging rows must agree, row for row, with fct_attempts and fct_journeys built by dbt."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta

WINDOW = timedelta(days=7)
BOT_EVENTS = {"bot_start", "bot_turn"}
AI_EVENTS = {"ai_suggestion", "ai_summary"}


def _ai_type(has_bot: bool, agent: bool, assist: bool) -> str:
    if has_bot:
        return "ai_to_agent" if agent else "self_service_ai"
    if agent:
        return "ai_assisted_agent" if assist else "human_only"
    return "unhandled"


def _python_attempts(conn) -> dict[str, dict]:
    as_of = conn.execute("select as_of from intermediate.int_as_of_resolved").fetchone()[0]
    contacts = conn.execute(
        """select contact_id, initial_contact_id, customer_id, channel, initiation_method, intent,
                  initiated_at, disconnected_at, disposition, connected_to_agent_at
           from staging.stg_platform__contacts"""
    ).fetchall()
    flags: dict[str, set[str]] = defaultdict(set)
    for contact_id, event_type in conn.execute(
        """select contact_id, event_type from staging.stg_platform__contact_events
           where event_type in ('bot_start', 'bot_turn', 'ai_suggestion', 'ai_summary')"""
    ).fetchall():
        flags[contact_id].add(event_type)

    chains: dict[str, list[tuple]] = defaultdict(list)
    for row in contacts:
        if row[6] <= as_of:
            chains[row[1]].append(row)

    attempts = {}
    for attempt_id, legs in chains.items():
        legs.sort(key=lambda r: (r[6], r[0]))
        head = next((r for r in legs if r[0] == attempt_id), legs[0])
        last = max(legs, key=lambda r: (r[7], r[0]))
        customer = next((r[2] for r in legs if r[2] is not None), None)
        intent = next((r[5] for r in legs if r[5] is not None), "unclassified")
        has_bot = any(flags[r[0]] & BOT_EVENTS for r in legs)
        agent = any(r[9] is not None for r in legs)
        assist = any(flags[r[0]] & AI_EVENTS for r in legs)
        attempts[attempt_id] = {
            "customer": customer,
            "intent": intent,
            "channel": head[3],
            "started_at": min(r[6] for r in legs),
            "ended_at": max(r[7] for r in legs),
            "final_disposition": last[8],
            "transfers": sum(1 for r in legs if r[4] == "transfer"),
            "ai_interaction_type": _ai_type(has_bot, agent, assist),
        }
    return attempts


def _python_journeys(attempts: dict[str, dict]) -> dict[str, list[str]]:
    """journey_id → its attempt ids in order."""
    journeys: dict[str, list[str]] = {}
    groups: dict[tuple, list[str]] = defaultdict(list)
    for attempt_id, a in attempts.items():
        if a["customer"] is None:
            journeys[attempt_id] = [attempt_id]
        else:
            groups[(a["customer"], a["intent"])].append(attempt_id)
    for ids in groups.values():
        ids.sort(key=lambda i: (attempts[i]["started_at"], i))
        current: list[str] = []
        latest_end = None
        for attempt_id in ids:
            a = attempts[attempt_id]
            if latest_end is None or a["started_at"] > latest_end + WINDOW:
                current = [attempt_id]
                journeys[attempt_id] = current
            else:
                current.append(attempt_id)
            latest_end = a["ended_at"] if latest_end is None else max(latest_end, a["ended_at"])
    return journeys


def test_attempts_match_python(warehouse_conn):
    expected = _python_attempts(warehouse_conn)
    actual = {
        row[0]: row[1:]
        for row in warehouse_conn.execute(
            """select attempt_id, is_identified, intent, channel, started_at, ended_at, final_disposition,
                      transfers, ai_interaction_type
               from core.fct_attempts"""
        ).fetchall()
    }
    assert len(expected) > 1000, "the test dataset is too small to mean anything"
    assert set(actual) == set(expected)
    mismatches = []
    for attempt_id, a in expected.items():
        want = (
            a["customer"] is not None,
            a["intent"],
            a["channel"],
            a["started_at"],
            a["ended_at"],
            a["final_disposition"],
            a["transfers"],
            a["ai_interaction_type"],
        )
        if actual[attempt_id] != want:
            mismatches.append((attempt_id, want, actual[attempt_id]))
    assert not mismatches, f"{len(mismatches)} attempts differ, e.g. {mismatches[:3]}"


def test_journeys_match_python(warehouse_conn):
    attempts = _python_attempts(warehouse_conn)
    expected = _python_journeys(attempts)
    as_of = warehouse_conn.execute("select as_of from intermediate.int_as_of_resolved").fetchone()[0]
    rows = warehouse_conn.execute(
        """select journey_id, attempts, is_identified, is_matured, is_fcr, is_resolved, is_repeat,
                  channel_switches, ended_at
           from core.fct_journeys"""
    ).fetchall()
    actual = {row[0]: row[1:] for row in rows}
    assert set(actual) == set(expected)
    assert sum(1 for ids in expected.values() if len(ids) > 1) > 50, "too few repeat journeys to test"
    mismatches = []
    for journey_id, ids in expected.items():
        members = [attempts[i] for i in ids]
        ended_at = max(m["ended_at"] for m in members)
        channels = [m["channel"] for m in members]
        want = (
            len(ids),
            members[0]["customer"] is not None,
            as_of >= ended_at + WINDOW,
            len(ids) == 1 and members[0]["final_disposition"] == "resolved",
            members[-1]["final_disposition"] == "resolved",
            len(ids) >= 2,
            sum(1 for a, b in itertools.pairwise(channels) if a != b),
            ended_at,
        )
        if actual[journey_id] != want:
            mismatches.append((journey_id, want, actual[journey_id]))
    assert not mismatches, f"{len(mismatches)} journeys differ, e.g. {mismatches[:3]}"


def test_attempt_membership_matches_python(warehouse_conn):
    expected = {
        attempt_id: journey_id
        for journey_id, ids in _python_journeys(_python_attempts(warehouse_conn)).items()
        for attempt_id in ids
    }
    actual = dict(warehouse_conn.execute("select attempt_id, journey_id from core.fct_attempts").fetchall())
    assert actual == expected
