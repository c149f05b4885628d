"""The schema's cursor pattern names exactly the cursors this API makes: each one matches, and each match decodes."""

import base64
import re

from hypothesis import given, settings, strategies as st

from content.delivery.sync import CURSOR_PATTERN, decode_cursor, encode_cursor

PATTERN = re.compile(CURSOR_PATTERN)


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_every_cursor_the_api_makes_matches_the_pattern(change_id):
    assert PATTERN.fullmatch(encode_cursor(change_id))


def test_the_pattern_stops_where_decoding_does():
    assert PATTERN.fullmatch(encode_cursor(10**18 - 1))
    assert not PATTERN.fullmatch(encode_cursor(10**18))
    other_spellings = [base64.urlsafe_b64encode(raw).decode().rstrip("=") for raw in (b"bc1:05", b"bc1:007", b"bc1:00")]
    for not_a_cursor in ("", "nonsense", encode_cursor(7) + "=", "YmMxOjE"[:-1], "YmMxOjV", *other_spellings):
        assert not PATTERN.fullmatch(not_a_cursor), not_a_cursor


@settings(max_examples=500)
@given(st.from_regex(PATTERN, fullmatch=True))
def test_whatever_matches_the_pattern_decodes_to_a_change(cursor):
    # decode_cursor refuses a matching cursor only for being ahead of the change log (409), never as malformed (400);
    # the API also refuses one naming no change (tests/delivery/test_sync.py).
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert raw.startswith(b"bc1:") and decode_cursor(cursor, latest=10**18) == int(raw[4:])
