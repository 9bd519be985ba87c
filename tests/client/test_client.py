"""The SDK: error mapping, gas auto and fees (against a mock node), proof checks (in memory and on a real devnet)."""
from __future__ import annotations

import base64
import json
from typing import Any, Callable

import httpx
import pytest

from suretychain.client.client import Client, ClientError, QueryAnswer
from suretychain.client.coins import parse_coins
from suretychain.client.proofs import verify_query_answer
from suretychain.client.txbuilder import SIMULATION_GAS_LIMIT, compute_adjusted_gas, send_msgs
from suretychain.core.app import ProvenRead
from suretychain.core.crypto import PrivateKey, encode_address
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Decoder, encode
from suretychain.core.errors import ErrInvalidAddress, ErrInvalidCoins, SuretyError
from suretychain.core.proof import ProofError
from suretychain.core.tx import Coin, Tx, compute_sign_bytes
from suretychain.modules.bank import keys as bank_keys
from suretychain.modules.bank.types import MsgSend

ALICE = PrivateKey.from_seed(bytes(range(32)))
ALICE_ADDRESS = encode_address(ALICE.public_key.address)
BOB_ADDRESS = encode_address(PrivateKey.from_seed(bytes(32)).public_key.address)
CHAIN_ID = "surety-test-1"
TX_DECODER = Decoder(Tx)


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> Client:
    return Client("http://node.test", transport=httpx.MockTransport(handler))


def error_response(status: int, codespace: str, code: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"codespace": codespace, "code": code, "message": message}})


# ---- error mapping ----------------------------------------------------------------------------------------------


def test_coded_error_body_is_raised_with_the_chain_code():
    client = mock_client(lambda request: error_response(400, "sdk", 7, "invalid address: bad checksum"))
    with pytest.raises(SuretyError) as info:
        client.account("sure1bad")
    assert (info.value.codespace, info.value.code, info.value.log) == ("sdk", 7, "invalid address: bad checksum")
    assert ErrInvalidAddress.is_(info.value)


def test_not_found_keeps_its_code():
    client = mock_client(lambda request: error_response(404, "sdk", 38, "not found: tx ab"))
    with pytest.raises(SuretyError) as info:
        client.tx("ab" * 32)
    assert (info.value.codespace, info.value.code) == ("sdk", 38)


def test_uncoded_http_error_is_a_client_error():
    client = mock_client(lambda request: httpx.Response(502, text="bad gateway"))
    with pytest.raises(ClientError, match="HTTP 502"):
        client.status()


def test_unreachable_node_is_a_client_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ClientError, match="cannot reach node"):
        mock_client(refuse).status()


def test_path_segments_are_escaped():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        return httpx.Response(200, json={"denom": "x", "amount": 0})

    mock_client(handler).balance("sure1a/b", "ibc/ATOM")
    assert seen == [b"/bank/balances/sure1a%2Fb/ibc%2FATOM"]


def test_query_decodes_hex_proofs():
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/query/bank/balance"
        assert json.loads(request.content) == {"height": 3, "prove": True, "request": {"denom": "usrt"}}
        return httpx.Response(200, json={"height": 3, "value": {"denom": "usrt", "amount": 5},
                                         "proofs": [{"key": "0102", "value": None, "proof": "ff"}]})

    answer = mock_client(handler).query("bank/balance", {"denom": "usrt"}, height=3, prove=True)
    assert answer.height == 3 and answer.value == {"denom": "usrt", "amount": 5}
    assert answer.proofs == [ProvenRead(key=b"\x01\x02", value=None, proof=b"\xff")]


# ---- coins ------------------------------------------------------------------------------------------------------


def test_parse_coins_sorts_by_denom():
    assert parse_coins("5uusd,10usrt") == [Coin(denom="usrt", amount=10), Coin(denom="uusd", amount=5)]


@pytest.mark.parametrize("text", ["", "10", "usrt", "10 usrt", "-5usrt", "1.5usrt", "10usrt,", "10u"])
def test_parse_coins_rejects_malformed_text(text):
    with pytest.raises(SuretyError) as info:
        parse_coins(text)
    assert ErrInvalidCoins.is_(info.value)


@pytest.mark.parametrize("text", ["0usrt", "1usrt,2usrt", f"{2**64}usrt"])
def test_parse_coins_applies_the_chains_coin_rules(text):
    with pytest.raises(SuretyError) as info:
        parse_coins(text)
    assert ErrInvalidCoins.is_(info.value)


# ---- gas auto and fees ------------------------------------------------------------------------------------------


class MockNode:
    """Answers the calls the tx builder makes; records simulated and broadcast txs."""

    def __init__(self, gas_used: int = 50_000, simulate_error: tuple[str, int, str] | None = None,
                 min_gas_price: str = "0.001") -> None:
        self.gas_used = gas_used
        self.simulate_error = simulate_error
        self.min_gas_price = min_gas_price
        self.simulated: list[Tx] = []
        self.broadcast: list[tuple[Tx, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/status":
            return httpx.Response(200, json={"chain_id": CHAIN_ID, "latest_height": 7})
        if path == f"/accounts/{ALICE_ADDRESS}":
            return httpx.Response(200, json={"address": ALICE_ADDRESS, "public_key": "", "sequence": 4})
        if path == "/query/auth/params":
            return httpx.Response(200, json={"height": 7, "proofs": [], "value": {
                "max_memo_characters": 256, "tx_size_cost_per_byte": 10, "sig_verify_cost": 1000,
                "min_gas_price": self.min_gas_price, "fee_denom": "usrt"}})
        body = json.loads(request.content) if request.content else {}
        if path == "/txs/simulate":
            self.simulated.append(TX_DECODER.decode(base64.b64decode(body["tx"])))
            if self.simulate_error:
                codespace, code, log = self.simulate_error
                return httpx.Response(200, json={"code": code, "codespace": codespace, "log": log,
                                                 "gas_wanted": 0, "gas_used": 0, "events": []})
            return httpx.Response(200, json={"code": 0, "codespace": "", "log": "", "gas_wanted": 0,
                                             "gas_used": self.gas_used, "events": []})
        if path == "/txs":
            tx = TX_DECODER.decode(base64.b64decode(body["tx"]))
            self.broadcast.append((tx, body["mode"]))
            return httpx.Response(200, json={"hash": "00" * 32, "code": 0, "codespace": "", "log": "",
                                             "height": 8, "gas_wanted": tx.body.fee.gas_limit, "gas_used": 1,
                                             "events": []})
        return error_response(404, "api", 404, f"no route {path}")


def send_one(node: MockNode, **kwargs: Any) -> dict[str, Any]:
    msg = MsgSend(from_address=Address(ALICE_ADDRESS), to_address=Address(BOB_ADDRESS),
                  amount=[Coin(denom="usrt", amount=10)])
    return send_msgs(mock_client(node), ALICE, [msg], **kwargs)


def test_gas_auto_simulates_then_signs_with_adjusted_gas_and_min_fee():
    node = MockNode(gas_used=50_000)
    result = send_one(node)
    assert result["height"] == 8
    [simulated] = node.simulated
    assert simulated.signature == bytes(64) and simulated.body.fee.gas_limit == SIMULATION_GAS_LIMIT
    [(tx, mode)] = node.broadcast
    assert mode == "commit"
    body = tx.body
    assert body.chain_id == CHAIN_ID and body.sequence == 4 and body.signer == ALICE_ADDRESS
    assert body.fee.gas_limit >= 65_000  # ceil(50_000 * 1.3), plus any bytes the real fee adds
    assert body.fee.gas_limit - 65_000 <= 10 * 16
    assert body.fee.amount == [Coin(denom="usrt", amount=-(-body.fee.gas_limit // 1000))]  # 0.001/gas, rounded up
    assert ALICE.public_key.verify(compute_sign_bytes(body), tx.signature)


def test_gas_auto_surfaces_the_chains_error_before_signing():
    node = MockNode(simulate_error=("sdk", 5, "insufficient funds: has 1usrt"))
    with pytest.raises(SuretyError) as info:
        send_one(node)
    assert (info.value.codespace, info.value.code) == ("sdk", 5)
    assert node.broadcast == []


def test_explicit_gas_and_fee_skip_simulation():
    node = MockNode()
    send_one(node, gas=80_000, fee=[Coin(denom="usrt", amount=200)], mode="sync", memo="hi")
    assert node.simulated == []
    [(tx, mode)] = node.broadcast
    assert mode == "sync" and tx.body.memo == "hi"
    assert tx.body.fee.gas_limit == 80_000 and tx.body.fee.amount == [Coin(denom="usrt", amount=200)]


def test_zero_gas_price_means_no_fee_coin():
    node = MockNode(min_gas_price="0")
    send_one(node, gas=1000)
    assert node.broadcast[0][0].body.fee.amount == []


def test_adjusted_gas_rounds_up_in_decimal():
    assert compute_adjusted_gas(10, "1.33") == 14
    assert compute_adjusted_gas(100, 1.3) == 130
    assert compute_adjusted_gas(3, Dec.from_str("1")) == 3


# ---- consistency of proven reads with the answer ----------------------------------------------------------------


def balance_answer(amount: int, proven: bytes | None, denom: str = "usrt") -> QueryAnswer:
    key = bank_keys.STORE_PREFIX + bank_keys.balance_key(Address(ALICE_ADDRESS).raw, denom)
    return QueryAnswer(value={"denom": denom, "amount": amount}, height=5,
                       proofs=[ProvenRead(key=key, value=proven, proof=b"")])


@pytest.fixture
def proofs_always_verify(monkeypatch):
    monkeypatch.setattr("suretychain.client.proofs.verify_proven_read", lambda *args: None)


def test_consistent_balance_answer_passes(proofs_always_verify):
    params = {"address": ALICE_ADDRESS, "denom": "usrt"}
    verify_query_answer("bank/balance", params, balance_answer(10, encode(10)), b"root")
    verify_query_answer("bank/balance", {**params, "denom": "uabc"}, balance_answer(0, None, "uabc"), b"root")


def test_answer_that_differs_from_the_proven_value_is_rejected(proofs_always_verify):
    with pytest.raises(ProofError, match="differs from the proven state"):
        verify_query_answer("bank/balance", {"address": ALICE_ADDRESS, "denom": "usrt"},
                            balance_answer(11, encode(10)), b"root")


def test_proof_of_another_key_is_rejected(proofs_always_verify):
    with pytest.raises(ProofError, match="no proof of the key"):
        verify_query_answer("bank/balance", {"address": ALICE_ADDRESS, "denom": "uusd"},
                            balance_answer(10, encode(10)), b"root")


def test_answer_without_proofs_is_rejected():
    with pytest.raises(ProofError, match="no proofs"):
        verify_query_answer("bank/balances", {"address": ALICE_ADDRESS}, QueryAnswer({}, 5, []), b"root")


def test_answer_at_another_height_is_rejected(proofs_always_verify):
    with pytest.raises(ProofError, match="asked for 4"):
        verify_query_answer("bank/balance", {"address": ALICE_ADDRESS, "denom": "usrt"},
                            balance_answer(10, encode(10)), b"root", requested_height=4)

