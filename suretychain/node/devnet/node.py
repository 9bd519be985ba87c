"""The embedded devnet node: one process that is its own consensus.

It drives the App exactly as CometBFT would, per block: ``prepare_proposal`` -> ``process_proposal`` ->
``finalize_block`` -> save block -> ``commit``. The block time comes from this node's clock (the devnet *is* the
consensus here), never from inside the App. On start it replays any block that the block store saved but the state
did not commit, like CometBFT's handshake.

The proposer of each height is chosen round-robin among the validators in force whose keys this devnet holds (its
four), and it proposes with its VRF key (``vrf_seed`` in ``validators/<name>.json``), so every block carries its
beacon entry. It also holds the keys that ``surety --home <devnet home> tx staking create-validator --generate-keys``
writes into ``validator_keys/``: it reads them when such a validator joins the set, and from then on that validator
signs and proposes like the others. A validator whose keys are held elsewhere never signs here, as on a network
where its operator runs no node, and is jailed for downtime after the signed-blocks window.

The entries tx is not a tx for the block store's index: a block's ``tx_hashes`` and the tx index list the real txs
only, and the entries tx is saved after them in the block's tx list (replay moves it back to the front).
"""
from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from suretychain.app import make_app
import msgspec

from suretychain.core.app import BlockRequest, FinalizeResult, QueryResult, TxResult
from suretychain.core.context import Misbehavior, VoteInfo
from suretychain.core.crypto import PrivateKey, address_of
from suretychain.core.errors import ErrNotFound
from suretychain.core.encoding import to_builtins
from suretychain.core.genesis import decode_genesis
from suretychain.core.store import CommitStore
from suretychain.core.tx import compute_tx_hash
from suretychain.node.backend import BlockRecord, BroadcastResult, NodeStatus, TxRecord
from suretychain.node.devnet.blockstore import (
    BlockStore,
    ConsensusData,
    EvidenceRecord,
    ValidatorRecord,
    VoteRecord,
)
from suretychain.node.devnet.consensus import (
    ValidatorSet,
    apply_updates,
    choose_proposer,
    compute_last_commit,
    make_duplicate_vote_evidence,
)
from suretychain.node.devnet.home import DevnetHome
from suretychain.node.devnet.mempool import Mempool
from suretychain.node.sigverify import VerifierProcess

KEEP_RECENT = 1000
PROPOSER = hashlib.sha256(b"surety-devnet-proposer").digest()[:20]


class DevnetNode:
    """App + state store + block store + mempool, producing blocks on demand or on a timer."""

    def __init__(self, home: DevnetHome, keep_recent: int = KEEP_RECENT) -> None:
        self.home = home
        self.genesis = decode_genesis(home.genesis.read_bytes())
        self.store = CommitStore(str(home.state_db), keep_recent=keep_recent)
        self.validator_keys: dict[str, tuple[str, PrivateKey]] = {}  # name -> (operator, consensus key)
        self.keys: dict[bytes, PrivateKey] = {}  # consensus address -> key, for every key held
        self.vrf_keys: dict[bytes, bytes] = {}  # the App's beacon reads this dict: keys picked up later join it
        self._keys_stamp: tuple[tuple[str, int], ...] | None = None
        self._load_keys()
        self.app = make_app(self.store, vrf_keys=self.vrf_keys)
        self.app.sig_cache.attach(VerifierProcess)  # signatures are checked on the other core
        self.blocks = BlockStore(str(home.blocks_db))
        self.mempool = Mempool(self.app)
        self.valsets: dict[int, ValidatorSet] = {}
        self.offline: dict[bytes, int] = {}  # consensus address -> last height it casts no vote for
        self.pending_evidence: list[Misbehavior] = []
        self._subscribers: list[asyncio.Queue[dict[str, Any]]] = []
        self._committed: dict[bytes, asyncio.Future[TxRecord]] = {}
        self._arrivals: list[tuple[bytes, asyncio.Future[tuple[bytes, TxResult]]]] = []  # broadcasts not yet checked
        self.tx_event = asyncio.Event() if _has_loop() else None
        self.blocks_produced = 0
        self._recover()

    # ---- start-up -----------------------------------------------------------------------------------------------
    def _recover(self) -> None:
        """Initialise the chain on first start; replay saved-but-uncommitted blocks after a crash."""
        fresh = self.app.info().last_block_height == 0 and self.blocks.height == 0
        if self.app.info().last_block_height == 0:
            initial = {address_of(pk): (pk, power) for pk, power in self.app.init_chain(self.genesis).validators}
            for height in (self.genesis.initial_height, self.genesis.initial_height + 1):
                self.blocks.save_valset(height, to_valset_record(initial))
        self.valsets = {h: from_valset_record(r) for h, r in self.blocks.valsets().items()}
        while self.blocks.height > self.app.info().last_block_height:
            height = max(self.app.info().last_block_height + 1, self.genesis.initial_height)
            record = self.blocks.block(height)
            assert record is not None, f"block store is missing block {height}"
            decided = self.blocks.consensus(height)
            saved = self.blocks.block_txs(height)
            real = len(record.tx_hashes)  # the entries tx, if any, was saved after the real txs
            request = BlockRequest(height=height, time_ns=record.time_ns, txs=(*saved[real:], *saved[:real]),
                                   proposer=record.proposer, hash=record.hash,
                                   last_commit=tuple(VoteInfo(v.address, v.power, v.signed)
                                                     for v in (decided.last_commit if decided else ())),
                                   misbehavior=tuple(Misbehavior(**msgspec.structs.asdict(e))
                                                     for e in (decided.misbehavior if decided else ())))
            result = self.app.finalize_block(request)
            if result.app_hash != record.app_hash:
                raise RuntimeError(f"replay of block {height} gave a different app hash")
            self.app.commit()
        if fresh:
            self.produce_block()  # the first block commits the genesis state, so queries work at once

    def _load_keys(self) -> None:
        """(Re)read the validator key files of the home (``DevnetHome.key_files``)."""
        self._keys_stamp = self.home.key_files_stamp()
        self.validator_keys, vrf_keys = self.home.load_validator_keys()
        self.keys = {address_of(key.public_key.raw): key for _, key in self.validator_keys.values()}
        self.vrf_keys.update(vrf_keys)

    def _pick_up_keys(self, height: int) -> None:
        """A validator of the sets this block uses whose key is not held: read the key files again if they changed
        (``create-validator --generate-keys`` with this home wrote one), so it signs and proposes from now on."""
        unheld = any(address not in self.keys
                     for h in (height - 1, height) for address in self.valsets.get(h, {}))
        if unheld and self.home.key_files_stamp() != self._keys_stamp:
            self._load_keys()

    # ---- block production ---------------------------------------------------------------------------------------
    def next_time_ns(self) -> int:
        """Now, but strictly after the last block (block times only increase)."""
        return max(time.time_ns(), self.app.last_block_time_ns + 1)

    def produce_block(self, time_ns: int | None = None) -> BlockRecord:
        """Make, execute, store and commit one block with what the mempool holds."""
        last = self.app.info().last_block_height
        height = last + 1 if last else self.genesis.initial_height
        block_time = self.next_time_ns() if time_ns is None else time_ns
        self._pick_up_keys(height)
        held = {address: v for address, v in self.valsets.get(height, {}).items() if address in self.keys}
        proposer = choose_proposer(held, height) or PROPOSER
        max_bytes = self.app.consensus_params.block.max_bytes
        block_txs = self.app.prepare_proposal(self.mempool.reap(), max_bytes, height, block_time, proposer)
        _, txs_tuple, entry_txs = self.app.split_entries(tuple(block_txs))
        entries, txs = list(block_txs[:entry_txs]), list(txs_tuple)
        entry_hashes = [compute_tx_hash(tx) for tx in entries]
        tx_hashes = [compute_tx_hash(tx) for tx in txs]
        block_hash = compute_block_hash(height, block_time, entry_hashes + tx_hashes)  # entries first, as in the block
        last_commit = self._last_commit(height)
        misbehavior, self.pending_evidence = tuple(self.pending_evidence), []
        request = BlockRequest(height=height, time_ns=block_time, txs=tuple(block_txs), proposer=proposer, hash=block_hash,
                               last_commit=last_commit, misbehavior=misbehavior)
        if not self.app.process_proposal(request):
            raise RuntimeError(f"own proposal at height {height} rejected")
        result = self.app.finalize_block(request)
        record = BlockRecord(height=height, hash=block_hash, time_ns=block_time, proposer=proposer,
                             app_hash=result.app_hash, tx_hashes=tx_hashes, events=result.events)
        scheduled = apply_updates(self.valsets.get(height + 1, {}), result.validator_updates)
        decided = ConsensusData(last_commit=[VoteRecord(v.address, v.power, v.signed) for v in last_commit],
                                misbehavior=[EvidenceRecord(**_fields(m)) for m in misbehavior])
        self.blocks.save_block(record, txs + entries, result.tx_results, decided,
                               (height + 2, to_valset_record(scheduled)))
        self.app.commit()
        self.valsets[height + 2] = scheduled  # CometBFT applies updates from height H at H + 2
        self.blocks_produced += 1
        self.mempool.recheck(tx_hashes)
        self._publish(record, txs, result)
        return record

    def _last_commit(self, height: int) -> tuple[VoteInfo, ...]:
        """The votes for the previous block by the set in force then (none before the first block)."""
        previous = self.blocks.block(height - 1)
        if previous is None:
            return ()
        return compute_last_commit(self.keys, self.valsets.get(height - 1, {}), self.app.chain_id, height - 1,
                                   previous.hash, self.offline)

    # ---- fault injection (devnet only) --------------------------------------------------------------------------
    def _validator_key(self, validator: str) -> PrivateKey:
        """A validator held by this devnet, by moniker, operator address or consensus address (hex)."""
        for moniker, (operator, key) in self.validator_keys.items():
            if validator in (moniker, operator, address_of(key.public_key.raw).hex()):
                return key
        raise ErrNotFound(f"no devnet validator {validator!r} (known: {', '.join(self.validator_keys)})")

    def fault_offline(self, validator: str, blocks: int) -> dict[str, Any]:
        """The validator casts no vote for the next ``blocks`` heights."""
        key = self._validator_key(validator)
        until = self.app.info().last_block_height + blocks
        self.offline[address_of(key.public_key.raw)] = until
        return {"validator": validator, "offline_until_height": until}

    def fault_double_sign(self, validator: str) -> dict[str, Any]:
        """The validator signs a conflicting vote at the last height; the evidence goes into the next block."""
        key = self._validator_key(validator)
        height = self.app.info().last_block_height
        block = self.blocks.block(height)
        assert block is not None
        evidence = make_duplicate_vote_evidence(key, self.valsets.get(height, {}), self.app.chain_id, height,
                                                block.time_ns, block.hash)
        self.pending_evidence.append(evidence)
        self.notify_tx()  # with --block-time 0, evidence waiting is a reason to make a block too
        return {"validator": validator, "height": height, "power": evidence.validator_power}

    def _publish(self, record: BlockRecord, txs: list[bytes], result: FinalizeResult) -> None:
        """Resolve waiting commit-mode broadcasts and push the block to stream subscribers."""
        for index, (tx_hash, tx, tx_result) in enumerate(zip(record.tx_hashes, txs, result.tx_results)):
            waiter = self._committed.pop(tx_hash, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(TxRecord(hash=tx_hash, height=record.height, index=index, tx=tx, result=tx_result))
        if self._subscribers:
            message = block_message(record, result)
            for queue in list(self._subscribers):
                if queue.qsize() < 1000:
                    queue.put_nowait(message)

    async def run(self, block_time_s: float, stop: asyncio.Event) -> None:
        """Produce blocks every ``block_time_s`` seconds, or as soon as txs wait when it is 0, until ``stop``."""
        self.tx_event = asyncio.Event()
        self.app.sig_cache.start()
        while not stop.is_set():
            if block_time_s > 0:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=block_time_s)
                    break
                except asyncio.TimeoutError:
                    pass
            else:
                waiter = asyncio.ensure_future(self.tx_event.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                stopper.cancel()
                self.tx_event.clear()
                if stop.is_set():
                    break
            self.produce_block()

    # ---- NodeBackend --------------------------------------------------------------------------------------------
    def status(self) -> NodeStatus:
        info = self.app.info()
        return NodeStatus(chain_id=info.chain_id, latest_height=info.last_block_height,
                          latest_app_hash=info.last_block_app_hash, latest_block_time_ns=self.app.last_block_time_ns,
                          earliest_height=self.blocks.base, mempool_size=len(self.mempool))

    def block(self, height: int | None) -> BlockRecord | None:
        return self.blocks.block(self.blocks.height if height is None else height)

    def tx(self, tx_hash: bytes) -> TxRecord | None:
        return self.blocks.tx(tx_hash)

    def search_txs(self, event: str, limit: int, offset: int) -> list[TxRecord]:
        return self.blocks.search(event, limit, offset)

    async def broadcast(self, tx: bytes, mode: str, timeout_s: float = 30.0) -> BroadcastResult:
        """CheckTx into the mempool; in ``commit`` mode also wait for the block that includes it."""
        tx_hash, check = await self._admit(tx)
        if check.code != 0 or mode == "sync":
            return _broadcast_result(tx_hash, check, 0)
        future: asyncio.Future[TxRecord] = asyncio.get_running_loop().create_future()
        self._committed[tx_hash] = future
        if self.tx_event is not None:
            self.tx_event.set()
        try:
            record = await asyncio.wait_for(future, timeout_s)
        except asyncio.TimeoutError:
            self._committed.pop(tx_hash, None)
            return BroadcastResult(hash=tx_hash, code=0, log="timed out waiting for inclusion; query the tx later")
        return _broadcast_result(tx_hash, record.result, record.height)

    def _admit(self, tx: bytes) -> asyncio.Future[tuple[bytes, TxResult]]:
        """CheckTx ``tx`` together with the broadcasts that arrive in the same turn of the event loop (a burst of
        clients): the batch's signatures go to the helper at once, so the other core checks them while CheckTx
        runs on the first ones (``Mempool.add_many``). Arrival order is kept; a lone tx waits one turn of the loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[bytes, TxResult]] = loop.create_future()
        if not self._arrivals:
            loop.call_soon(self._admit_arrivals)
        self._arrivals.append((tx, future))
        return future

    def _admit_arrivals(self) -> None:
        """Admit every broadcast that arrived since the last call, in arrival order, and answer each."""
        arrivals, self._arrivals = self._arrivals, []
        try:
            admitted = self.mempool.add_many([tx for tx, _ in arrivals])
        except Exception as exc:  # answer every waiting client (the API reports it) rather than leave them hanging
            for _, future in arrivals:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), answer in zip(arrivals, admitted):
            if not future.done():
                future.set_result(answer)

    def notify_tx(self) -> None:
        """Wake the producer (``--block-time 0``)."""
        if self.tx_event is not None:
            self.tx_event.set()

    def simulate(self, tx: bytes) -> TxResult:
        return self.app.simulate(tx)

    def decode_tx(self, tx: bytes) -> dict[str, Any]:
        """The tx as JSON for display (msgs decoded, bytes as hex); the App's coded error if malformed."""
        decoded, msgs = self.app.decode_tx(tx)
        body = to_builtins(decoded.body)
        body["msgs"] = to_builtins(msgs)
        return {"body": body, "signature": decoded.signature.hex()}

    def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
        return self.app.query(path, data, height, prove)

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    def close(self) -> None:
        self.app.sig_cache.close()
        try:
            self.blocks.close()  # waits for the tx index to catch up; raises if its thread failed
        finally:
            self.store.close()


def compute_block_hash(height: int, time_ns: int, tx_hashes: list[bytes]) -> bytes:
    """The devnet's block id: a hash of height, time and tx hashes (CometBFT gives real header hashes)."""
    h = hashlib.sha256(b"surety-devnet-block\x00" + height.to_bytes(8, "big") + time_ns.to_bytes(8, "big"))
    for tx_hash in tx_hashes:
        h.update(tx_hash)
    return h.digest()


def block_message(record: BlockRecord, result: FinalizeResult) -> dict[str, Any]:
    """The JSON pushed to stream subscribers for each new block."""
    return {
        "type": "new_block",
        "height": record.height,
        "hash": record.hash.hex(),
        "time_ns": record.time_ns,
        "app_hash": record.app_hash.hex(),
        "txs": [{"hash": h.hex(), "code": r.code, "codespace": r.codespace, "log": r.log,
                 "events": to_builtins(r.events)} for h, r in zip(record.tx_hashes, result.tx_results)],
        "events": to_builtins(record.events),
    }


def _broadcast_result(tx_hash: bytes, result: TxResult, height: int) -> BroadcastResult:
    return BroadcastResult(hash=tx_hash, code=result.code, codespace=result.codespace, log=result.log, height=height,
                           gas_wanted=result.gas_wanted, gas_used=result.gas_used, events=result.events)


def _has_loop() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


def to_valset_record(valset: ValidatorSet) -> list[ValidatorRecord]:
    return [ValidatorRecord(pub_key=pk, power=power) for _, (pk, power) in sorted(valset.items())]


def from_valset_record(record: list[ValidatorRecord]) -> ValidatorSet:
    return {address_of(v.pub_key): (v.pub_key, v.power) for v in record}


def _fields(misbehavior: Misbehavior) -> dict[str, Any]:
    return {name: getattr(misbehavior, name) for name in ("kind", "validator_address", "validator_power", "height",
                                                          "time_ns", "total_voting_power")}
