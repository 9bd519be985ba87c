"""The canonical encoding is byte-for-byte stable: these hex vectors must never change.

Regenerate only for a deliberate, versioned format change: ``python tests/core/test_golden_vectors.py --write``.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from suretychain.core.crypto import PrivateKey, address_of
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Decoder, encode
from suretychain.core.tx import Coin, Fee, Tx, compute_sign_bytes, compute_tx_hash, make_body, sign_tx
from suretychain.modules.auth.types import Account, Params
from suretychain.modules.bank.types import Balance, MsgMultiSend, MsgSend, Input, Output

VECTORS = Path(__file__).parent.parent / "vectors" / "encoding.json"


def build_vectors() -> dict[str, str]:
    key = PrivateKey.from_seed(hashlib.sha256(b"golden").digest())
    alice = Address.from_raw(address_of(key.public_key.raw))
    bob = Address.from_raw(bytes(range(20)))
    send = MsgSend(from_address=alice, to_address=bob, amount=[Coin(denom="usrt", amount=1_000_000),
                                                               Coin(denom="uusd", amount=5)])
    multi = MsgMultiSend(inputs=[Input(address=alice, coins=[Coin(denom="usrt", amount=3)])],
                         outputs=[Output(address=bob, coins=[Coin(denom="usrt", amount=3)])])
    body = make_body("surety-golden-1", [send, multi], alice, key.public_key.raw, 7,
                     Fee(amount=[Coin(denom="usrt", amount=200)], gas_limit=200_000), memo="golden", timeout_height=99)
    tx = sign_tx(body, key)
    return {
        "msg_send": encode(send).hex(),
        "tx_body": encode(body).hex(),
        "tx_sign_bytes": compute_sign_bytes(body).hex(),
        "tx": tx.hex(),
        "tx_hash": compute_tx_hash(tx).hex(),
        "record_account": encode(Account(address=alice, public_key=key.public_key.raw, sequence=8)).hex(),
        "record_balance": encode(Balance(address=bob, coins=[Coin(denom="uusd", amount=2**64 - 1)])).hex(),
        "record_auth_params": encode(Params(min_gas_price=Dec.from_str("0.0025"))).hex(),
    }


def test_encodings_match_golden_vectors():
    assert build_vectors() == json.loads(VECTORS.read_text())


def test_golden_tx_decodes_and_reencodes():
    tx_bytes = bytes.fromhex(json.loads(VECTORS.read_text())["tx"])
    tx = Decoder(Tx).decode(tx_bytes)
    assert encode(tx) == tx_bytes
    assert tx.body.sequence == 7 and tx.body.memo == "golden"


if __name__ == "__main__" and "--write" in sys.argv:
    VECTORS.write_text(json.dumps(build_vectors(), indent=2) + "\n")
