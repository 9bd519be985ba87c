"""GET query parameters become request fields: strings first, digits as integers only when the request needs it."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.api.deps import ChainView
from suretychain.api.routers.query import coerce_value, collect_fields, query_with_coercion
from suretychain.core.app import QueryResult
from suretychain.core.encoding import Decoder, Record
from suretychain.core.errors import SuretyError


class QueryThing(Record):
    name: str
    index: int


class FakeBackend:
    """Only ``query``: decodes the request as the App does and echoes it."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []

    def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
        self.requests.append(data)
        try:
            request = Decoder(QueryThing).decode_json(data)
        except SuretyError as exc:
            return QueryResult(code=exc.code, codespace=exc.codespace, log=exc.log, height=height)
        return QueryResult(value=msgspec.json.encode(request), height=7)


def test_collect_fields_skips_height_and_prove_and_lists_repeats():
    items = [("height", "3"), ("prove", "true"), ("a", "1"), ("b", "x"), ("b", "y")]
    assert collect_fields(items) == {"a": "1", "b": ["x", "y"]}


def test_coerce_value():
    assert [coerce_value(v) for v in ("42", "4.2", "-1", "true", "false", "x")] == [42, "4.2", "-1", True, False, "x"]
    assert coerce_value(["1", "a"]) == [1, "a"]


def test_digits_stay_strings_when_the_request_takes_strings():
    backend = FakeBackend()
    result = query_with_coercion(ChainView(backend), "x/thing", {"name": "123", "index": "5"})
    assert msgspec.json.decode(result.value) == {"name": "123", "index": 5}
    assert len(backend.requests) == 2  # strings first, then with digits as integers


def test_invalid_request_raises_the_decode_error():
    with pytest.raises(SuretyError) as raised:
        query_with_coercion(ChainView(FakeBackend()), "x/thing", {"name": "a", "index": "five"})
    assert (raised.value.codespace, raised.value.code) == ("sdk", 2)
