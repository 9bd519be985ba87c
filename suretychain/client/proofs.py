"""Verifying query answers against an app hash, with :mod:`suretychain.core.proof` only (no store access).

:func:`verify_query_answer` checks, in order:

1. the node proved at least one store read (a query made only of range reads, such as ``bank/balances``, has no
   point proofs and cannot be verified: it is rejected rather than passed as vacuously true);
2. the answer is at the height asked for (when one was given);
3. every proven read: membership of ``key -> value`` when a value is given, non-membership when it is absent;
4. for the queries listed in ``CONSISTENCY_CHECKS`` (``bank/balance``, ``bank/supply`` with a denom,
   ``bank/params``, ``auth/account``, ``auth/params``, ``store/key``), that a proof covers the exact key the query
   reads and that the record it proves equals the returned value. For other paths only steps 1-3 are done: the
   proofs are sound, but nothing ties them to the returned JSON.

The checks are only as good as ``app_hash``: take it from a source you trust (a verified header), not only from the
node that answered the query.
"""
from __future__ import annotations

from typing import Any, Callable

import msgspec

from suretychain.core.app import ProvenRead
from suretychain.core.encoding import decode_record, parse_address, to_json
from suretychain.core.proof import ProofError, decode_proof, verify_membership, verify_non_membership
from suretychain.modules.auth import keys as auth_keys
from suretychain.modules.auth.types import Account
from suretychain.modules.auth.types import Params as AuthParams
from suretychain.modules.bank import keys as bank_keys
from suretychain.modules.bank.types import Params as BankParams


def verify_proven_read(app_hash: bytes, key: bytes, value: bytes | None, proof_bytes: bytes) -> None:
    """Check one read against ``app_hash``: ``key -> value`` is in the tree (``key`` absent if ``value`` is None)."""
    proof = decode_proof(proof_bytes)
    if value is None:
        verify_non_membership(app_hash, key, proof)
    else:
        verify_membership(app_hash, key, value, proof)


def verify_query_answer(path: str, params: dict[str, Any], answer: Any, app_hash: bytes,
                        requested_height: int = 0) -> None:
    """Run the checks listed in the module docstring on a :class:`~suretychain.client.client.QueryAnswer`."""
    if not answer.proofs:
        raise ProofError(f"{path}: the answer carries no proofs (range reads cannot be proven)")
    if requested_height and answer.height != requested_height:
        raise ProofError(f"{path}: answered at height {answer.height}, asked for {requested_height}")
    for read in answer.proofs:
        try:
            verify_proven_read(app_hash, read.key, read.value, read.proof)
        except ProofError as exc:
            raise ProofError(f"{path}: proof of key {read.key.hex()} failed: {exc}") from None
    check = CONSISTENCY_CHECKS.get(path)
    if check is not None:
        check(params, answer.value, {read.key: read for read in answer.proofs})


# ---- consistency of the answer with the proven entries ----------------------------------------------------------


def get_proven_value(reads: dict[bytes, ProvenRead], key: bytes, path: str) -> bytes | None:
    """The proven value of ``key`` (None = proven absent); ``ProofError`` if the node did not prove that key."""
    read = reads.get(key)
    if read is None:
        raise ProofError(f"{path}: no proof of the key the query reads ({key.hex()})")
    return read.value


def require_same(path: str, answered: Any, proven: Any) -> None:
    """The answered JSON equals the JSON of the proven record."""
    if answered != proven:
        raise ProofError(f"{path}: answer {answered!r} differs from the proven state {proven!r}")


def check_record(path: str, key: bytes, record_type: type, default: Callable[[], Any]) -> Callable[..., None]:
    """A check for a query that returns the record stored at ``key`` (``default()`` when absent)."""
    def check(params: dict[str, Any], value: Any, reads: dict[bytes, ProvenRead]) -> None:
        raw = get_proven_value(reads, key, path)
        record = default() if raw is None else decode_record(raw, record_type)
        require_same(path, value, msgspec.json.decode(to_json(record)))
    return check


def check_bank_balance(params: dict[str, Any], value: Any, reads: dict[bytes, ProvenRead]) -> None:
    """``bank/balance``: the amount is the proven balance entry (0 when proven absent)."""
    address, denom = parse_address(params["address"]), params["denom"]
    raw = get_proven_value(reads, bank_keys.STORE_PREFIX + bank_keys.balance_key(address.raw, denom), "bank/balance")
    require_same("bank/balance", value, {"denom": denom, "amount": 0 if raw is None else decode_record(raw, int)})


def check_bank_supply(params: dict[str, Any], value: Any, reads: dict[bytes, ProvenRead]) -> None:
    """``bank/supply`` of one denom: the amount is the proven supply entry (all denoms: a range read, unchecked)."""
    denom = params.get("denom", "")
    if not denom:
        return
    raw = get_proven_value(reads, bank_keys.STORE_PREFIX + bank_keys.supply_key(denom), "bank/supply")
    amount = 0 if raw is None else decode_record(raw, int)
    require_same("bank/supply", value, {"supply": [{"denom": denom, "amount": amount}]})


def check_auth_account(params: dict[str, Any], value: Any, reads: dict[bytes, ProvenRead]) -> None:
    """``auth/account``: the answer is the proven account record (a fresh account when proven absent)."""
    address = parse_address(params["address"])
    key = auth_keys.STORE_PREFIX + auth_keys.account_key(address.raw)
    check_record("auth/account", key, Account, lambda: Account(address=address))(params, value, reads)


def check_store_key(params: dict[str, Any], value: Any, reads: dict[bytes, ProvenRead]) -> None:
    """``store/key``: the hex value is the proven one (empty when proven absent)."""
    raw = get_proven_value(reads, bytes.fromhex(params["key"]), "store/key")
    require_same("store/key", value, "" if raw is None else raw.hex())


CONSISTENCY_CHECKS: dict[str, Callable[[dict[str, Any], Any, dict[bytes, ProvenRead]], None]] = {
    "bank/balance": check_bank_balance,
    "bank/supply": check_bank_supply,
    "bank/params": check_record("bank/params", bank_keys.STORE_PREFIX + bank_keys.PARAMS_KEY, BankParams, BankParams),
    "auth/account": check_auth_account,
    "store/key": check_store_key,
    "auth/params": check_record("auth/params", auth_keys.STORE_PREFIX + auth_keys.PARAMS_KEY, AuthParams, AuthParams),
}
