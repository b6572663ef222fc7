"""outreach_admin.stored_json: jsonb the database accepts but Python's decoder does not is
shown, not a 500 (issue 19 finding)."""

import json

import pytest

from outreach_admin.stored_json import MAX_SHOWN_DEPTH, TOO_DEEP, loads_stored, prune_depth


def _nest(depth, leaf="1"):
    return "[" * depth + leaf + "]" * depth


def test_ordinary_values_decode_as_json_does():
    """Rule: below the limits the result is json.loads' own."""
    text = json.dumps({"a": [1, 2.5, "x[{", {"b": None}], "n": -12, "t": True})
    assert loads_stored(text) == json.loads(text)


@pytest.mark.parametrize("digits", [4300, 4301, 5000, 100_000])
def test_integers_too_long_for_python_are_shown_as_their_size(digits):
    """Rule: an integer over Python's int-digit limit becomes '<N-digit number>'; one at the
    limit stays an int."""
    value = loads_stored('{"n": -' + "9" * digits + "}")["n"]
    if digits <= 4300:
        assert value == -int("9" * digits)
    else:
        assert value == f"<{digits}-digit number>"


@pytest.mark.parametrize("depth", [MAX_SHOWN_DEPTH + 1, 900, 1500, 20_000])
def test_containers_deeper_than_the_limit_are_replaced(depth):
    """Rule: whatever is nested deeper than MAX_SHOWN_DEPTH is the text TOO_DEEP; the levels
    above it and the siblings are kept."""
    text = '{"tree": ' + _nest(depth - 1) + ', "email": "deep@x.example"}'
    value = loads_stored(text)
    assert value["email"] == "deep@x.example"
    node, levels = value["tree"], 2  # the object is level 1
    while isinstance(node, list):
        node, levels = node[0], levels + 1
    assert (node, levels) == (TOO_DEEP, MAX_SHOWN_DEPTH + 1)
    json.dumps(value)  # and a page can serialise what it got


def test_brackets_inside_strings_do_not_count():
    """Rule: only structural brackets count toward the depth (strings are skipped, escapes
    included)."""
    text = json.dumps({"s": "[" * 500 + '\\"{' * 300, "k": [[["ok"]]]})
    assert prune_depth(text, 4) is text
    assert loads_stored(text) == json.loads(text)


def test_prune_keeps_what_is_not_too_deep():
    assert json.loads(prune_depth("[[1], [[2]], 3]", 2)) == [[1], [TOO_DEEP], 3]
    assert json.loads(prune_depth('{"a": {"b": {"c": 1}}, "d": [2]}', 2)) == {
        "a": {"b": TOO_DEEP},
        "d": [2],
    }
