import pytest

from content.delivery.api.ranges import Unsatisfiable, requested_range


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, None), ("bytes=0-9", (0, 9)), ("bytes=90-", (90, 99)), ("bytes=-10", (90, 99)), ("bytes=-500", (0, 99)),
        ("bytes=50-500", (50, 99)), ("bytes=9-3", None), ("bytes=0-1,4-5", None), ("items=0-9", None), ("bytes=-", None),
    ],
)
def test_a_range_is_the_bytes_it_names_and_anything_else_is_the_whole_file(header, expected):
    assert requested_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0"])
def test_a_range_beyond_the_end_is_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        requested_range(header, 100)
