"""Build, sign and send txs: chain id, sequence, gas (simulated), minimum fee, signature, broadcast.

``--gas auto`` simulates the tx first and uses ``ceil(gas_used * gas_adjustment)``; a tx the chain would reject
fails here, with the chain's own coded error, before anything is signed. Without an explicit fee the fee is the
chain's minimum for that gas (``auth/params``: ``min_gas_price * gas``, rounded up, in ``fee_denom``), computed by the
same function the ante step checks it with.
"""
from __future__ import annotations

from typing import Any, Callable, Union

from suretychain.client.client import Client
from suretychain.core.crypto import PrivateKey
from suretychain.core.dec import Dec, Rounding
from suretychain.core.encoding import Address, convert, encode
from suretychain.core.errors import SuretyError
from suretychain.core.tx import Coin, Fee, Msg, Tx, TxBody, make_body, sign_tx
from suretychain.modules.auth.ante import compute_required_fee
from suretychain.modules.auth.types import Params as AuthParams

GAS_AUTO = "auto"
DEFAULT_GAS_ADJUSTMENT = "1.3"
# Gas limit of the tx that is simulated: the simulation meters without a limit, but the tx must still pass the
# envelope checks (positive, within the block's max gas) and should not encode shorter than the final one.
SIMULATION_GAS_LIMIT = 10_000_000
ZERO_SIGNATURE = bytes(64)  # simulation does not check signatures

Gas = Union[int, str]


def get_auth_params(client: Client) -> AuthParams:
    """The chain's tx fee policy (``auth/params``)."""
    return convert(client.query("auth/params", {}).value, AuthParams)


def compute_min_fee(params: AuthParams, gas_limit: int) -> list[Coin]:
    """The least fee the chain accepts for ``gas_limit`` gas (no coin at all when it is zero)."""
    amount = compute_required_fee(params, gas_limit)
    return [Coin(denom=params.fee_denom, amount=amount)] if amount else []


def compute_adjusted_gas(gas_used: int, gas_adjustment: Any) -> int:
    """``ceil(gas_used * gas_adjustment)``; the adjustment is a decimal (``"1.3"``, ``Dec`` or a float's text)."""
    adjustment = gas_adjustment if isinstance(gas_adjustment, Dec) else Dec.from_str(str(gas_adjustment))
    if not adjustment.is_positive():
        raise ValueError(f"gas adjustment must be positive, got {adjustment}")
    return adjustment.mul_int(gas_used, Rounding.UP)


def simulate_gas_used(client: Client, body: TxBody) -> int:
    """Gas the tx uses against the latest state; the chain's coded error if it would fail."""
    result = client.simulate(encode(Tx(body=body, signature=ZERO_SIGNATURE)))
    if result.get("code", 0) != 0:
        raise SuretyError(result.get("codespace", ""), result["code"], result.get("log", ""))
    return int(result["gas_used"])


def build_body(
    client: Client,
    signer: str,
    public_key: bytes,
    msgs: list[Msg],
    fee: list[Coin] | None = None,
    gas: Gas = GAS_AUTO,
    gas_adjustment: Any = DEFAULT_GAS_ADJUSTMENT,
    memo: str = "",
    chain_id: str | None = None,
    timeout_height: int = 0,
) -> TxBody:
    """The unsigned body, with chain id, sequence, gas limit and fee filled in from the node."""
    address = Address(signer)
    chain_id = chain_id or client.status()["chain_id"]
    sequence = int(client.account(address)["sequence"])
    params = get_auth_params(client) if fee is None else None

    def body_with(gas_limit: int, coins: list[Coin]) -> TxBody:
        return make_body(chain_id, msgs, address, public_key, sequence, Fee(amount=coins, gas_limit=gas_limit), memo,
                         timeout_height)

    if gas != GAS_AUTO:
        gas_limit = _gas_limit(gas)
        return body_with(gas_limit, fee if params is None else compute_min_fee(params, gas_limit))
    # Simulate with a fee that touches the same balances as the final one (it is charged in the simulation too)
    trial_fee = fee if params is None else compute_min_fee(params, 1)
    trial = body_with(SIMULATION_GAS_LIMIT, trial_fee)
    gas_limit = compute_adjusted_gas(simulate_gas_used(client, trial), gas_adjustment)
    if params is None:
        return body_with(gas_limit, fee)  # type: ignore[arg-type]
    body = body_with(gas_limit, compute_min_fee(params, gas_limit))
    # The real fee may encode longer than the trial one: pay for those tx bytes too
    extra_bytes = len(encode(body)) - len(encode(trial))
    if extra_bytes > 0:
        gas_limit += extra_bytes * params.tx_size_cost_per_byte
        body = body_with(gas_limit, compute_min_fee(params, gas_limit))
    return body


def sign_and_broadcast(client: Client, key: PrivateKey, body: TxBody, mode: str = "commit") -> dict[str, Any]:
    """Sign ``body`` with ``key`` and broadcast it; returns the node's broadcast result."""
    return client.broadcast(sign_tx(body, key), mode)


def send_msgs(
    client: Client,
    key: PrivateKey,
    msgs: list[Msg],
    fee: list[Coin] | None = None,
    gas: Gas = GAS_AUTO,
    gas_adjustment: Any = DEFAULT_GAS_ADJUSTMENT,
    memo: str = "",
    mode: str = "commit",
    chain_id: str | None = None,
    timeout_height: int = 0,
    before_broadcast: Callable[[TxBody], None] | None = None,
) -> dict[str, Any]:
    """Build, sign and broadcast a tx of ``msgs`` signed by ``key``; returns ``{hash, code, log, height, ...}``.

    ``before_broadcast(body)`` runs once the body is built (and simulated), before it is signed and sent: the court
    SDK stores a vote's salt there, so nothing reaches the chain that the juror could not reveal.
    """
    signer = Address.from_raw(key.public_key.address)
    body = build_body(client, signer, key.public_key.raw, msgs, fee, gas, gas_adjustment, memo, chain_id,
                      timeout_height)
    if before_broadcast is not None:
        before_broadcast(body)
    return sign_and_broadcast(client, key, body, mode)


def raise_for_code(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` if its code is 0; otherwise the chain's coded error it reports."""
    if result.get("code", 0) != 0:
        raise SuretyError(result.get("codespace", ""), result["code"], result.get("log", ""))
    return result


def _gas_limit(gas: Gas) -> int:
    """An explicit gas limit (``"auto"`` is handled by the caller)."""
    if isinstance(gas, bool) or not isinstance(gas, (int, str)) or not str(gas).isdigit():
        raise ValueError(f"gas must be 'auto' or a non-negative integer, got {gas!r}")
    return int(gas)
