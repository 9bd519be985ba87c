"""The devnet node in-process: mempool ordering and re-check, block store lookups, restart, pruning window."""
from __future__ import annotations

from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.core.app import BlockRequest
from suretychain.core.crypto import address_of
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, Fee, compute_tx_hash, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from suretychain.node.devnet.home import demo_accounts
from suretychain.node.devnet.run import open_devnet

ALICE = next(a for a in demo_accounts() if a.name == "alice")
KEY = mnemonic_to_private_key(ALICE.mnemonic)
SENDER = Address.from_raw(address_of(KEY.public_key.raw))
RECIPIENT = Address.from_raw(bytes(20))


def send(node, sequence: int, amount: int, denom: str = "uusd") -> bytes:
    msg = MsgSend(from_address=SENDER, to_address=RECIPIENT, amount=[Coin(denom=denom, amount=amount)])
    body = make_body(node.app.chain_id, [msg], SENDER, KEY.public_key.raw, sequence,
                     Fee(amount=[Coin(denom="usrt", amount=100)], gas_limit=100_000))
    return sign_tx(body, KEY)


def test_several_txs_of_one_sender_before_a_block(tmp_path):
    node, created = open_devnet(tmp_path / "dv", reset=True)
    assert created and node.status().latest_height == 1
    txs = [send(node, i, 1) for i in range(5)]
    assert [node.mempool.add(tx)[1].code for tx in txs] == [0] * 5
    record = node.produce_block()
    assert record.tx_hashes == [compute_tx_hash(tx) for tx in txs]
    assert len(node.mempool) == 0
    stored = node.tx(record.tx_hashes[2])
    assert stored.height == record.height and stored.index == 2 and stored.result.code == 0
    assert [t.hash for t in node.search_txs(f"bank.Transfer.recipient={RECIPIENT}", 10, 0)] == record.tx_hashes
    node.close()


def test_recheck_drops_txs_that_became_invalid(tmp_path):
    node, _ = open_devnet(tmp_path / "dv", reset=True)
    pending = send(node, 0, 5)
    assert node.mempool.add(pending)[1].code == 0
    # A block made elsewhere (as on a network) spends alice's sequence 0 with another tx
    other = send(node, 0, 7)
    height = node.status().latest_height + 1
    node.app.finalize_block(BlockRequest(height=height, time_ns=node.next_time_ns(), txs=(other,)))
    node.app.commit()
    node.mempool.recheck([compute_tx_hash(other)])
    assert len(node.mempool) == 0  # sequence 0 is used: the pending tx can never be valid now
    node.close()


def test_restart_continues_chain_and_keeps_recent_versions(tmp_path):
    node, _ = open_devnet(tmp_path / "dv", reset=True)
    node.mempool.add(send(node, 0, 1))
    first = node.produce_block()
    for _ in range(3):
        node.produce_block()
    app_hash, height = node.status().latest_app_hash, node.status().latest_height
    node.close()
    again, created = open_devnet(tmp_path / "dv")
    assert not created
    assert (again.status().latest_height, again.status().latest_app_hash) == (height, app_hash)
    assert again.block(first.height).app_hash == first.app_hash
    old = again.query("bank/balance", f'{{"address": "{RECIPIENT}", "denom": "uusd"}}'.encode(), first.height - 1, False)
    assert old.code == 0 and b'"amount":0' in old.value
    assert again.produce_block().height == height + 1
    again.close()


def test_pruned_heights_are_refused(tmp_path):
    from suretychain.node.devnet.home import DevnetHome
    from suretychain.node.devnet.node import DevnetNode

    open_devnet(tmp_path / "dv", reset=True)[0].close()
    node = DevnetNode(DevnetHome(tmp_path / "dv"), keep_recent=2)
    for _ in range(5):
        node.produce_block()
    latest = node.status().latest_height
    request = f'{{"address": "{RECIPIENT}", "denom": "uusd"}}'.encode()
    assert node.query("bank/balance", request, latest - 1, False).code == 0
    pruned = node.query("bank/balance", request, 1, False)
    assert pruned.code != 0 and pruned.log
    node.close()


def test_restart_without_the_tx_index_rebuilds_it(tmp_path):
    node, _ = open_devnet(tmp_path / "dv", reset=True)
    node.mempool.add(send(node, 0, 3))
    record = node.produce_block()
    node.produce_block()
    node.close()
    for path in (tmp_path / "dv" / "data").glob("txindex.db*"):
        path.unlink()
    again, _ = open_devnet(tmp_path / "dv")
    found = again.tx(record.tx_hashes[0])
    assert (found.height, found.index, found.result.code) == (record.height, 0, 0)
    assert [t.hash for t in again.search_txs(f"bank.Transfer.recipient={RECIPIENT}", 10, 0)] == record.tx_hashes
    again.close()


def test_broadcasts_arriving_together_are_admitted_as_one_batch_in_arrival_order(tmp_path):
    import asyncio

    node, _ = open_devnet(tmp_path / "dv", reset=True)
    batches = []
    prefetch = node.app.prefetch_signatures
    node.app.prefetch_signatures = lambda txs: (batches.append(list(txs)), prefetch(txs))[1]
    txs = [send(node, i, 1) for i in range(12)]
    bad = send(node, 40, 1)  # a sequence far ahead: refused, the others unaffected

    async def burst():
        return await asyncio.gather(*(node.broadcast(tx, "sync") for tx in [*txs, bad]))

    try:
        answers = asyncio.run(burst())
        assert batches == [[*txs, bad]]  # one hand-off to the signature helper for the whole burst
        assert [a.code for a in answers[:-1]] == [0] * len(txs) and answers[-1].code != 0
        assert node.mempool.reap() == txs
        lone = send(node, len(txs), 1)
        assert asyncio.run(node.broadcast(lone, "sync")).code == 0 and batches[-1] == [lone]
    finally:
        node.close()


def test_a_validator_whose_keys_were_generated_into_the_home_signs_and_proposes(tmp_path):
    from suretychain.client.validator_keys import compute_keys_path, generate_validator_keys
    from suretychain.core.dec import Dec
    from suretychain.modules.staking.types import Description, MsgCreateValidator

    node, _ = open_devnet(tmp_path / "dv", reset=True)
    held_keys = generate_validator_keys(compute_keys_path(node.home.root, "erin"), "erin")  # --generate-keys
    elsewhere = generate_validator_keys(tmp_path / "dave.json", "dave")  # kept by its operator, not the devnet
    try:
        for name, keys in [("erin", held_keys), ("dave", elsewhere)]:
            account = next(a for a in demo_accounts() if a.name == name)
            key = mnemonic_to_private_key(account.mnemonic)
            operator = Address.from_raw(address_of(key.public_key.raw))
            msg = MsgCreateValidator(operator=operator, consensus_pubkey=keys.consensus, vrf_pubkey=keys.vrf,
                                     description=Description(moniker=name), commission_rate=Dec.from_str("0.1"),
                                     commission_max_rate=Dec.from_str("0.2"),
                                     commission_max_change_rate=Dec.from_str("0.01"), min_self_delegation=1,
                                     self_bond=Coin(denom="usrt", amount=2_000_000))
            body = make_body(node.app.chain_id, [msg], operator, key.public_key.raw, 0,
                             Fee(amount=[Coin(denom="usrt", amount=2_000)], gas_limit=2_000_000))
            assert node.mempool.add(sign_tx(body, key))[1].code == 0
        created = node.produce_block().height
        erin, dave = address_of(held_keys.consensus), address_of(elsewhere.consensus)
        proposers = set()
        for _ in range(12):
            proposers.add(node.produce_block().proposer)
        assert erin in node.valsets[created + 2] and dave in node.valsets[created + 2]
        votes = {v.address: v.signed for v in node._last_commit(node.status().latest_height + 1)}
        assert votes[erin] is True and votes[dave] is False  # the devnet holds erin's key, not dave's
        assert erin in proposers and dave not in proposers  # erin proposes, with its VRF key, in its turn
    finally:
        node.close()
