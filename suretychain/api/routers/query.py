"""The generic query route: any ``<module>/<route>`` the App serves, at a height, with proofs if asked.

``GET`` takes the request fields as query parameters, ``POST`` as a JSON object. ``store/key`` reads one raw store
key given as hex (``?key=``). Address fields (``address``, ``*_address``) are checked first, so a malformed one
gets the chain's invalid-address error rather than a generic decode error.
"""
from __future__ import annotations

import re
from typing import Any

import msgspec
from fastapi import APIRouter, Depends, Query, Request

from suretychain.api.codec import present_query
from suretychain.api.deps import ChainView, get_backend
from suretychain.api.models import QueryIn, QueryOut
from suretychain.core.app import QueryResult
from suretychain.core.encoding import Address, ValAddress, parse_address
from suretychain.core.errors import ErrInvalidRequest, ErrTxDecode, SuretyError
from suretychain.node.backend import NodeBackend

router = APIRouter(prefix="/query", tags=["query"])

RESERVED_PARAMS = frozenset({"height", "prove"})
STORE_KEY_PATH = "store/key"
FAILED_FIELD = re.compile(r"at `\$\.([A-Za-z_][A-Za-z0-9_]*)")


@router.get("/{module}/{route}", response_model=QueryOut)
async def get_query(
    module: str,
    route: str,
    request: Request,
    height: int = Query(0, ge=0, description="0 = latest"),
    prove: bool = Query(False, description="include Merkle proofs of every key read"),
    backend: NodeBackend = Depends(get_backend),
) -> dict[str, Any]:
    """Run a query; every other query parameter is a field of the request."""
    fields = collect_fields(request.query_params.multi_items())
    return run_query(ChainView(backend, height, prove), f"{module}/{route}", fields, coerce_retry=True)


@router.post("/{module}/{route}", response_model=QueryOut)
async def post_query(module: str, route: str, body: QueryIn,
                     backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """Run a query with the request given as a JSON object."""
    return run_query(ChainView(backend, body.height, body.prove), f"{module}/{route}", body.request,
                     coerce_retry=False)


def run_query(view: ChainView, path: str, fields: dict[str, Any], coerce_retry: bool) -> dict[str, Any]:
    """Check address fields, run the query and present the answer (raw hex for ``store/key``)."""
    if path == STORE_KEY_PATH:
        result = view.query_result(path, parse_store_key(fields))
        return present_query(result, result.value.hex())
    check_address_fields(fields)
    result = query_with_coercion(view, path, fields) if coerce_retry else \
        view.query_result(path, msgspec.json.encode(fields))
    return present_query(result, msgspec.json.decode(result.value) if result.value else None)


def query_with_coercion(view: ChainView, path: str, fields: dict[str, Any]) -> QueryResult:
    """Query parameters are text: send them as strings, and while the request does not decode because of one field
    that reads as a number or boolean (``"42"``, ``"true"``), convert that field and try again."""
    current = dict(fields)
    while True:
        try:
            return view.query_result(path, msgspec.json.encode(current))
        except SuretyError as exc:
            name = compute_failed_field(exc)
            if name not in current or coerce_value(current[name]) == current[name]:
                raise
            current[name] = coerce_value(current[name])  # each field converts once, so this loop ends


def compute_failed_field(exc: SuretyError) -> str | None:
    """The top-level request field a decode error points at (``... - at `$.index```), if any."""
    match = FAILED_FIELD.search(exc.log) if ErrTxDecode.is_(exc) else None
    return match.group(1) if match else None


def collect_fields(items: list[tuple[str, str]]) -> dict[str, Any]:
    """Query parameters (minus ``height`` and ``prove``) as request fields; a repeated name becomes a list."""
    fields: dict[str, Any] = {}
    for name, value in items:
        if name in RESERVED_PARAMS:
            continue
        if name not in fields:
            fields[name] = value
        elif isinstance(fields[name], list):
            fields[name].append(value)
        else:
            fields[name] = [fields[name], value]
    return fields


def coerce_value(value: Any) -> Any:
    """``"42"`` -> 42, ``"true"`` -> True, lists element-wise, anything else unchanged."""
    if isinstance(value, list):
        return [coerce_value(v) for v in value]
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def is_address_field(name: str) -> bool:
    return name == "address" or name.endswith("_address")


def check_address_fields(fields: dict[str, Any]) -> None:
    """Raise the chain's invalid-address error for a malformed ``address``/``*_address`` field."""
    for name, value in fields.items():
        if is_address_field(name) and isinstance(value, str):
            kind = ValAddress if value.startswith(ValAddress.HRP + "1") else Address
            parse_address(value, kind)


def parse_store_key(fields: dict[str, Any]) -> bytes:
    """The raw store key of a ``store/key`` query, from its hex ``key`` field."""
    key = fields.get("key")
    try:
        raw = bytes.fromhex(key) if isinstance(key, str) else b""
    except ValueError:
        raw = b""
    if not raw:
        raise ErrInvalidRequest("store/key expects a non-empty hex key (key=<hex>)")
    return raw
