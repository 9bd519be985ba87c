"""Signed bank sends committed per second through the devnet, against the single-core ed25519 verify rate.

    python -m bench.bank_throughput [--txs 4000] [--senders 50] [--block-txs 1000]

The sends go through what a devnet does with a stream of broadcasts, one batch of ``--block-txs`` per block: the
batch's signatures go to the signature helper process (the other core), CheckTx admits each tx into the mempool
(decode, ante step and execution on the check state), then the block is made (PrepareProposal, ProcessProposal,
FinalizeBlock: decode, ante, execution; app hash; save block; Commit to disk; mempool recheck). The next batch
arrives while a block is being made, so the helper checks its signatures meanwhile. Signing, the helper's start and
boot (a running devnet starts it with the node, long before txs arrive) and the node's GC settings
(``node/runtime.py``, applied by ``surety devnet`` once its state is loaded) happen before the clock starts; the
clock covers every step after that. The verify rate is PyNaCl's ``VerifyKey.verify`` on one core over the same kind
of signatures.

Also prints the app-hash cost of a block of 10,000 writes into a 1,000,000-key state relative to plain sha256 of
10,000 leaves (``--commit-keys 0`` skips it; the full figure comes from ``python -m bench.commit_cost``). Prints
ratios measured in this one run; no assertions (the machines are noisy).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.core.crypto import PrivateKey, PublicKey, address_of
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend, MsgMultiSend, Input, Output
from suretychain.node.devnet.home import demo_accounts
from suretychain.node.devnet.run import open_devnet
from suretychain.node.runtime import configure_gc

GAS = 100_000
FEE = [Coin(denom="usrt", amount=GAS // 1000)]


def fund_senders(node, senders: list[PrivateKey]) -> None:
    """One multi-send from a demo account gives every sender SRT for fees and sends."""
    payer = mnemonic_to_private_key(demo_accounts()[0].mnemonic)
    payer_address = Address.from_raw(address_of(payer.public_key.raw))
    each = [Coin(denom="usrt", amount=10**9)]
    outputs = [Output(address=Address.from_raw(address_of(k.public_key.raw)), coins=each) for k in senders]
    msg = MsgMultiSend(inputs=[Input(address=payer_address, coins=[Coin(denom="usrt", amount=10**9 * len(senders))])],
                       outputs=outputs)
    body = make_body(node.app.chain_id, [msg], payer_address, payer.public_key.raw,
                     node.app.query_json("auth/account", {"address": str(payer_address)})["sequence"],
                     Fee(amount=[Coin(denom="usrt", amount=10_000)], gas_limit=10_000_000))
    _, result = node.mempool.add(sign_tx(body, payer))
    assert result.code == 0, result.log
    node.produce_block()


def sign_sends(chain_id: str, senders: list[PrivateKey], count: int) -> list[bytes]:
    """``count`` signed sends, round-robin over senders, each sender's sequences in order."""
    recipient = Address.from_raw(bytes(range(20)))
    txs = []
    for i in range(count):
        key = senders[i % len(senders)]
        sender = Address.from_raw(address_of(key.public_key.raw))
        msg = MsgSend(from_address=sender, to_address=recipient, amount=[Coin(denom="usrt", amount=1 + i % 7)])
        body = make_body(chain_id, [msg], sender, key.public_key.raw, i // len(senders), Fee(amount=FEE, gas_limit=GAS))
        txs.append(sign_tx(body, key))
    return txs


def measure_devnet_tps(home: Path, txs_count: int, senders_count: int, block_txs: int) -> tuple[float, int]:
    node, _ = open_devnet(home, reset=True)
    try:
        senders = [PrivateKey.from_seed(bytes([i % 256, i // 256]) * 16) for i in range(senders_count)]
        fund_senders(node, senders)
        txs = sign_sends(node.app.chain_id, senders, txs_count)
        node.app.sig_cache.start(wait=True)  # booted, as in a devnet that started it with the node (DevnetNode.run)
        configure_gc()  # as `surety devnet` does once its state is loaded (node/runtime.py)
        batches = [txs[offset: offset + block_txs] for offset in range(0, len(txs), block_txs)]
        start = time.perf_counter()
        committed = 0
        for index, batch in enumerate(batches):
            # the first batch arrives now; every later one arrived while the block before it was made (below)
            admitted = node.mempool.add_many(batch) if index == 0 else [node.mempool.add(tx) for tx in batch]
            for _, result in admitted:
                assert result.code == 0, result.log
            if index + 1 < len(batches):
                node.mempool.receive(batches[index + 1])  # the next block's txs arrive while this one is made
            record = node.produce_block()
            committed += len(record.tx_hashes)
        elapsed = time.perf_counter() - start
        assert committed == txs_count, f"only {committed} of {txs_count} committed"
        return committed / elapsed, node.status().latest_height
    finally:
        node.close()


def measure_verify_rate(count: int) -> float:
    key = PrivateKey.from_seed(b"\x07" * 32)
    messages = [compute_sign_bytes_stub(i) for i in range(count)]
    signatures = [key.sign(m) for m in messages]
    public = PublicKey(key.public_key.raw)
    start = time.perf_counter()
    for message, signature in zip(messages, signatures):
        assert public.verify(message, signature)
    return count / (time.perf_counter() - start)


def compute_sign_bytes_stub(i: int) -> bytes:
    import hashlib

    return hashlib.sha256(i.to_bytes(8, "big")).digest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=4000)
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--block-txs", type=int, default=1000)
    parser.add_argument("--commit-keys", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tps, height = measure_devnet_tps(Path(tmp) / "devnet", args.txs, args.senders, args.block_txs)
    verify = measure_verify_rate(max(args.txs, 5000))
    print(f"devnet: {args.txs} signed bank sends committed in blocks of {args.block_txs}: {tps:,.0f} tx/s "
          f"(height {height})")
    print(f"PyNaCl ed25519 verify, one core: {verify:,.0f} verifies/s")
    print(f"ratio committed tx/s : verify/s = {tps / verify:.3f}  (target >= 0.5 now, 0.8 later)")
    if args.commit_keys:
        from bench import commit_cost

        commit_cost.main(["--keys", str(args.commit_keys), "--writes", "10000"])


if __name__ == "__main__":
    main()
