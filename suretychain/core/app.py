"""The App: one deterministic state machine behind the ABCI-shaped calls.

The embedded devnet and the CometBFT ABCI server drive it through the same calls, in the same order:

``init_chain`` once, then per block ``prepare_proposal`` (proposer only), ``process_proposal``, ``finalize_block``
(returns tx results, events, validator updates and the app hash) and ``commit`` (the only call that writes to disk).
``check_tx`` feeds the mempool, ``query`` and ``info`` serve reads.

Proposal entries and the choice of a block's txs are in :mod:`suretychain.core.proposal`; the signature memo in
:mod:`suretychain.core.signatures` (its helper process, attached by the node, in :mod:`suretychain.node.sigverify`).

State during a block lives in a cache over the committed store; ``finalize_block`` stages its writes in the Merkle
tree to get the app hash and ``commit`` persists them as one version, atomically.
"""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any, Iterable, Protocol, Union

import msgspec

from suretychain.core.context import BlockInfo, Context, Misbehavior, VoteInfo
from suretychain.core.encoding import Decoder, Record, encode, to_json
from suretychain.core.errors import (
    ErrInternal,
    ErrInvalidGasLimit,
    ErrInvalidGenesis,
    ErrInvalidHeight,
    ErrInvalidRequest,
    ErrTxTooLarge,
    ErrUnknownMsg,
    ErrUnknownRequest,
    SuretyError,
    require,
)
from suretychain.core.events import Event, render_events
from suretychain.core.gas import GasMeter, infinite_meter
from suretychain.core.genesis import (
    ConsensusParams,
    GenesisDoc,
    decode_module_state,
    encode_module_state,
    format_time,
    parse_time,
)
from suretychain.core.kv import TRANSIENT_PREFIX, CacheKV, CommittedKV, LatestKV, RecordingKV
from suretychain.core.module import Module, MsgRoute, ValidatorUpdate
from suretychain.core.proof import encode_proof
from suretychain.core.replay import (
    CheckedTx,
    CheckLog,
    Replay,
    TrackedCacheKV,
    WatchedBlock,
    apply_writes,
    compute_combined_writes,
)
from suretychain.core.proposal import (  # noqa: F401 (BlockEntries, count_entry_txs, decode_block_entries: re-exported)
    ENTRY_TX_OVERHEAD,
    BlockEntries,
    compute_entries_tx,
    count_entry_txs,
    count_fitting_admitted,
    decode_block_entries,
    is_valid_entries,
    is_within_limits,
    select_txs,
    split_entries,
)
from suretychain.core.signatures import BoundedMemo, SignatureCache
from suretychain.core.store import VersionUnavailable
from suretychain.core.tx import Msg, Tx, compute_sign_bytes, compute_tx_hash

log = logging.getLogger(__name__)

APP_VERSION = 1
MAX_TX_BYTES = 64 * 1024
QUERY_GAS_LIMIT = 50_000_000
DECODE_CACHE_SIZE = 50_000

META_CHAIN_ID = b"chain_id"
META_CONSENSUS_PARAMS = b"consensus_params"
META_INITIAL_HEIGHT = b"initial_height"
META_GENESIS_TIME = b"genesis_time"
META_LAST_BLOCK_TIME = b"last_block_time"


class TxMode(enum.Enum):
    """How a tx is run: for real in a block, for the mempool, as a simulation, or only its ante step (proposal
    building)."""

    DELIVER = "deliver"
    CHECK = "check"
    SIMULATE = "simulate"
    ANTE_ONLY = "ante_only"


class TxResult(Record):
    """The outcome of one tx: code 0 is success; otherwise codespace/code/log say which rule failed."""

    code: int = 0
    codespace: str = ""
    log: str = ""
    gas_wanted: int = 0
    gas_used: int = 0
    events: list[Event] = []
    data: bytes = b""


class FinalizeResult(Record):
    """What ``finalize_block`` returns (as ResponseFinalizeBlock). ``tx_results`` covers the real txs only: the
    block's first ``entry_txs`` txs (0 or 1) were its proposal entries and have no result here."""

    tx_results: list[TxResult]
    events: list[Event]
    validator_updates: list[tuple[bytes, int]]
    consensus_param_updates: ConsensusParams | None
    app_hash: bytes
    entry_txs: int = 0


class ProvenRead(Record):
    """One store key a query read, its value (None if absent) and the proof against the app hash at that height."""

    key: bytes
    value: bytes | None
    proof: bytes


class QueryResult(Record):
    """A query answer: JSON value, the height it was read at and, if asked, proofs of every point read."""

    code: int = 0
    codespace: str = ""
    log: str = ""
    value: bytes = b""
    height: int = 0
    proofs: list[ProvenRead] = []


class InfoResult(Record):
    """The last committed height and app hash (CometBFT's handshake replays blocks from here)."""

    last_block_height: int
    last_block_app_hash: bytes
    chain_id: str
    app_version: int = APP_VERSION


class InitChainResult(Record):
    """The genesis app hash and the initial validator set chosen by the modules."""

    app_hash: bytes
    validators: list[tuple[bytes, int]]
    consensus_params: ConsensusParams


@dataclass(frozen=True)
class BlockRequest:
    """The block data consensus gives to ``process_proposal`` and ``finalize_block``."""

    height: int
    time_ns: int
    txs: tuple[bytes, ...] = ()
    proposer: bytes = b""
    last_commit: tuple[VoteInfo, ...] = ()
    misbehavior: tuple[Misbehavior, ...] = ()
    hash: bytes = b""


class AnteHandler(Protocol):
    """Checks and charges a tx before its msgs run (signature, sequence, fee): supplied by the auth module."""

    def __call__(self, ctx: Context, tx: Tx, msgs: list[Msg], tx_size: int, simulate: bool) -> None: ...


class App:
    """The Surety state machine. Modules are given in hook order; ``ante`` checks and charges txs."""

    def __init__(self, store: Any, modules: list[Module], ante: AnteHandler) -> None:
        self.store = store
        self.modules = modules
        self.modules_by_name = {m.name: m for m in modules}
        self.ante = ante
        self.routes: dict[type, MsgRoute] = {}
        for module in modules:
            for route in module.msgs:
                self.routes[route.msg_type] = route
        self.msg_tags = {route.msg_type.__struct_config__.tag for route in self.routes.values()}
        self._msg_decoder = Decoder(_union(list(self.routes))) if self.routes else None
        self._tx_decoder = Decoder(Tx)
        self.proposing = [m for m in modules if m.verify_proposal is not None]
        self.sig_cache = SignatureCache()
        self._decoded = BoundedMemo(DECODE_CACHE_SIZE)  # a tx is decoded in CheckTx, proposals and the block
        self._deliver: CacheKV | None = None
        self._pending: tuple[int, int, bytes] | None = None  # (height, time, app hash) staged by finalize_block
        self._pending_meta: dict[bytes, bytes] = {}
        self._latest = LatestKV(store)  # the committed state the check state and the next block read through
        self._check: CacheKV = CacheKV(self._latest)
        self._check_info: BlockInfo | None = None  # the block CheckTx checks against (per committed version)
        self._checked = CheckLog()  # the runs CheckTx admitted on ``_check``, in order (reset with it)
        self._rebase: Replay | None = None  # after a commit: the last block's walk, re-admitting its pending txs
        self._walk: Replay | None = None  # the finalized block's walk, until its commit
        self.txs_replayed = self.txs_run = 0  # block txs whose checked run was reused / that ran (node metrics)
        self.checks_replayed = 0  # re-checks answered from the run before the last block
        self.chain_id = (store.get_meta(META_CHAIN_ID) or b"").decode()
        params = store.get_meta(META_CONSENSUS_PARAMS)
        self.consensus_params = msgspec.msgpack.decode(params, type=ConsensusParams) if params else ConsensusParams()

    # ---- info -------------------------------------------------------------------------------------------------
    def info(self) -> InfoResult:
        """Last committed height and app hash."""
        return InfoResult(last_block_height=self.store.version, last_block_app_hash=self.store.root_hash,
                          chain_id=self.chain_id)

    @property
    def last_block_time_ns(self) -> int:
        """The time of the last committed block (the genesis time before the first block)."""
        raw = self.store.get_meta(META_LAST_BLOCK_TIME) or self.store.get_meta(META_GENESIS_TIME)
        return int(raw.decode()) if raw else 0

    # ---- genesis ----------------------------------------------------------------------------------------------
    def init_chain(self, genesis: GenesisDoc) -> InitChainResult:
        """Load every module's genesis state (validated first) and return the genesis app hash."""
        if self.store.version != 0:
            raise ErrInvalidGenesis(f"chain already initialised at height {self.store.version}")
        states = self._decode_app_state(genesis)
        genesis_time = parse_time(genesis.genesis_time)
        self.chain_id = genesis.chain_id
        self.consensus_params = genesis.consensus_params
        deliver = CacheKV(self._latest)
        ctx = Context(kv=deliver, block=BlockInfo(chain_id=genesis.chain_id, height=genesis.initial_height - 1,
                                                  time_ns=genesis_time), gas_meter=infinite_meter())
        validators: list[tuple[bytes, int]] = []
        for module in self.modules:
            updates = module.genesis.init(ctx, states[module.name])
            validators.extend((u.pub_key, u.power) for u in updates or ())
        broken = self._run_invariants(Context(kv=deliver, block=ctx.block))
        if broken:
            raise ErrInvalidGenesis("; ".join(broken))
        self._deliver = deliver
        self._pending_meta = {
            META_CHAIN_ID: genesis.chain_id.encode(),
            META_CONSENSUS_PARAMS: encode(genesis.consensus_params),
            META_INITIAL_HEIGHT: str(genesis.initial_height).encode(),
            META_GENESIS_TIME: str(genesis_time).encode(),
        }
        self._initial_height = genesis.initial_height
        app_hash = self.store.stage(deliver.writes)
        return InitChainResult(app_hash=app_hash, validators=validators, consensus_params=genesis.consensus_params)

    def _decode_app_state(self, genesis: GenesisDoc) -> dict[str, Any]:
        """Decode and validate each module's state; unknown modules in app_state are an error."""
        unknown = sorted(set(genesis.app_state) - set(self.modules_by_name))
        if unknown:
            raise ErrInvalidGenesis(f"app_state has unknown modules: {', '.join(unknown)}")
        states: dict[str, Any] = {}
        for module in self.modules:
            raw = genesis.app_state.get(module.name)
            state = module.genesis.default() if raw is None else decode_module_state(
                module.name, bytes(raw), module.genesis.state_type)
            try:
                module.genesis.validate(state)
            except SuretyError as exc:
                raise ErrInvalidGenesis(f"app_state.{module.name}: {exc.log}") from None
            states[module.name] = state
        return states

    def export_genesis(self, height: int | None = None, genesis_time_ns: int | None = None) -> GenesisDoc:
        """The state at ``height`` (default: last committed) as a genesis document for a chain starting after it."""
        version = self.store.version if height is None else height
        ctx = self._read_context(version)
        app_state = {m.name: encode_module_state(m.genesis.export(ctx)) for m in self.modules}
        time_ns = genesis_time_ns if genesis_time_ns is not None else self.last_block_time_ns
        return GenesisDoc(chain_id=self.chain_id, genesis_time=format_time(time_ns), initial_height=version + 1,
                          consensus_params=self.consensus_params, app_state=app_state)

    # ---- txs --------------------------------------------------------------------------------------------------
    def decode_tx(self, tx_bytes: bytes) -> tuple[Tx, list[Msg]]:
        """Decode a tx and its msgs canonically; raise a coded error for anything malformed or unknown."""
        if len(tx_bytes) > MAX_TX_BYTES:
            raise ErrTxTooLarge(f"{len(tx_bytes)} bytes > {MAX_TX_BYTES}")
        decoded = self._decoded.get(tx_bytes)
        if decoded is None:
            tx = self._tx_decoder.decode(tx_bytes)
            decoded = (tx, [self._decode_msg(bytes(raw)) for raw in tx.body.msgs])
            self._decoded.put(tx_bytes, decoded)  # structs are frozen: sharing them is safe
        return decoded[0], list(decoded[1])

    def _decode_msg(self, raw: bytes) -> Msg:
        if self._msg_decoder is None:
            raise ErrUnknownMsg("no msg types registered")
        try:
            return self._msg_decoder.decode(raw)
        except SuretyError as exc:
            tag = _peek_tag(raw)
            if tag is not None and tag not in self.msg_tags:
                raise ErrUnknownMsg(f"unknown msg type {tag[:80]!r}") from None
            raise exc

    def prefetch_signatures(self, txs: Iterable[bytes]) -> None:
        """Check the signatures of a batch of txs on both cores ahead of CheckTx (a node-local speed-up: the
        results are memoised and CheckTx still decides). Malformed txs are left for CheckTx to reject."""
        items = []
        for tx_bytes in txs:
            try:
                tx, _ = self.decode_tx(tx_bytes)
            except SuretyError:
                continue
            items.append((tx.body.public_key, compute_sign_bytes(tx.body), tx.signature))
        self.sig_cache.prefetch(items)

    def check_tx(self, tx_bytes: bytes, recheck: bool = False, with_events: bool = True) -> TxResult:
        """Mempool admission: run the tx (ante step, then its msgs) on the pending check state (the state after
        every tx already admitted); it is admitted, and its effects kept for the next check, only if everything
        succeeds, so a tx that would fail in its block is refused with its coded error before it costs a fee.
        Re-checks, and callers that pass ``with_events=False``, get no events in the result (nothing is rendered)."""
        with_events = with_events and not recheck
        rebase = self._rebase
        record = rebase.take(tx_bytes) if rebase is not None else None
        if record is not None:  # pending before the last block, which changed nothing it read: re-admitted as run
            self.checks_replayed += 1
            apply_writes(self._check, record.writes)
            self._checked.add(record)
            return TxResult(gas_wanted=record.gas_wanted, gas_used=record.gas_used,
                            events=render_events(record.events) if with_events else [])
        result, run, writes = self._execute_tx(self._check, self._check_block(), tx_bytes, TxMode.CHECK, with_events)
        if run is not None:
            self._checked.add(run)
        if rebase is not None:
            rebase.note_run(writes)
        return result

    def simulate(self, tx_bytes: bytes) -> TxResult:
        """Run a tx against a throwaway copy of the latest state with no gas limit: for ``--gas auto``.
        The signature is not checked and the fee need not cover gas (the client does not know the gas yet)."""
        scratch = CacheKV(self._check)
        return self._run_tx(scratch, self._check_block(), tx_bytes, TxMode.SIMULATE)

    def _check_block(self) -> BlockInfo:
        """The block after the last committed one, as CheckTx sees it (built once per committed version)."""
        info = self._check_info
        if info is None or info.height != self.store.version + 1 or info.chain_id != self.chain_id:
            info = self._check_info = BlockInfo(chain_id=self.chain_id, height=self.store.version + 1,
                                                time_ns=self.last_block_time_ns)
        return info

    def _run_tx(self, parent: CacheKV, block: BlockInfo, tx_bytes: bytes, mode: TxMode,
                with_events: bool = True) -> TxResult:
        """Decode, run the ante step, then the msgs atomically, all on one branch of ``parent``."""
        return self._execute_tx(parent, block, tx_bytes, mode, with_events)[0]

    def _execute_tx(self, parent: CacheKV, block: BlockInfo, tx_bytes: bytes, mode: TxMode,
                    with_events: bool = True) -> tuple[TxResult, CheckedTx | None, dict[bytes, bytes | None]]:
        """Run a tx on one branch of ``parent``; return its result, the record of an admitted CHECK run (for its
        block to replay) and the writes the run left in ``parent`` (a replay walk counts them as foreign).

        DELIVER keeps the ante effects (fee, sequence) even when a msg fails; CHECK and SIMULATE keep nothing
        unless every msg succeeds (a tx that would fail is refused before it can cost its sender a fee);
        ANTE_ONLY (proposal building) runs the ante step alone.
        """
        meter = infinite_meter()
        checking = mode is TxMode.CHECK
        cache = TrackedCacheKV(parent) if checking else CacheKV(parent)
        seen_block = WatchedBlock(block) if checking else block
        try:
            tx, msgs = self.decode_tx(tx_bytes)
            max_gas = self.consensus_params.block.max_gas
            # A tx asking for more gas than a block holds could never be included
            require(max_gas < 0 or tx.body.fee.gas_limit <= max_gas, ErrInvalidGasLimit,
                    lambda: f"gas limit {tx.body.fee.gas_limit} > block max gas {max_gas}")
            meter = GasMeter(infinite_meter().limit if mode is TxMode.SIMULATE else tx.body.fee.gas_limit)
            ctx = Context(kv=cache, block=seen_block, gas_meter=meter,  # type: ignore[arg-type]
                          verify_signature=self.sig_cache.verify)
            self.ante(ctx, tx, msgs, len(tx_bytes), mode is TxMode.SIMULATE)
        except SuretyError as exc:
            return _error_result(exc, meter), None, {}
        gas_wanted = tx.body.fee.gas_limit
        if mode is TxMode.ANTE_ONLY:
            writes = cache.writes
            cache.write()
            return TxResult(gas_wanted=gas_wanted, gas_used=meter.consumed), None, writes
        ante_writes = cache.checkpoint() if mode is TxMode.DELIVER else {}  # only a block keeps the ante step alone
        ante_events = len(ctx.events)
        try:
            for msg in msgs:
                route = self.routes[type(msg)]
                meter.consume(route.gas, type(msg).__struct_config__.tag)
                route.handler(ctx, msg)
        except SuretyError as exc:
            failure = exc
        except Exception as exc:  # a bug in a handler: roll back and report it without crashing the node
            failure = ErrInternal(type(exc).__name__)
            log.exception("internal error in %s", [type(m).__struct_config__.tag for m in msgs])  # node log only
        else:
            writes = cache.writes
            cache.write()
            result = TxResult(gas_wanted=gas_wanted, gas_used=meter.consumed,
                              events=render_events(ctx.events) if with_events else [])
            if not checking:
                return result, None, writes
            return result, CheckedTx(tx=tx_bytes, read_keys=cache.read_keys, writes=writes, gas_wanted=gas_wanted,
                                     gas_used=meter.consumed, events=ctx.events,
                                     replayable=not (cache.iterated or seen_block.other_read),  # type: ignore
                                     read_height=seen_block.height_read), writes  # type: ignore[union-attr]
        writes = {}
        if mode is TxMode.DELIVER:
            cache.rollback(ante_writes)
            writes = cache.writes
            cache.write()  # the fee is charged and the sequence used, though the msgs are reverted
        return TxResult(code=failure.code, codespace=failure.codespace, log=failure.log, gas_wanted=gas_wanted,
                        gas_used=min(meter.consumed, meter.limit),
                        events=render_events(ctx.events[:ante_events]) if with_events else []), None, writes

    # ---- proposals (rules in proposal.py) -----------------------------------------------------------------------
    def prepare_proposal(self, txs: Iterable[bytes], max_tx_bytes: int, height: int, time_ns: int,
                         proposer: bytes = b"") -> list[bytes]:
        """The block's txs: first this node's proposal entries (if any module has one), then the mempool's txs in
        order, dropping those that fail the ante step against the block's start state, stopping at
        ``max_tx_bytes`` (the entries tx counts against it) and at the block gas limit."""
        block = BlockInfo(chain_id=self.chain_id, height=height, time_ns=time_ns, proposer=proposer)
        entries_tx = compute_entries_tx(self.proposing, self._proposal_context(block))
        chosen: list[bytes] = [entries_tx] if entries_tx else []
        max_tx_bytes -= len(entries_tx) + ENTRY_TX_OVERHEAD if entries_tx else 0
        txs = list(txs)
        max_gas = self.consensus_params.block.max_gas
        fitting = count_fitting_admitted(txs, self._checked.txs(), max_tx_bytes, max_gas, self._gas_limit_of)
        if fitting is not None:
            return chosen + txs[:fitting]  # CheckTx already ran them, in this order, on this state
        scratch = CacheKV(self._block_start_kv())

        def check(tx_bytes: bytes) -> tuple[int, int]:
            result = self._run_tx(scratch, block, tx_bytes, TxMode.ANTE_ONLY, with_events=False)
            return result.code, result.gas_wanted

        return chosen + select_txs(txs, max_tx_bytes, max_gas, check)

    def _block_start_kv(self) -> Any:
        """The state a proposal for the next block is built and checked on (the genesis cache before block one)."""
        return self._latest if self._deliver is None else self._deliver

    def _proposal_context(self, block: BlockInfo) -> Context:
        return Context(kv=CacheKV(self._block_start_kv()), block=block, gas_meter=infinite_meter())

    def _gas_limit_of(self, tx_bytes: bytes) -> int:
        """The tx's gas limit: its checked run's ``gas_wanted`` (the same number) if CheckTx admitted it, else decoded."""
        checked = self._checked
        index = checked.position.get(tx_bytes)
        if index is not None:
            return checked.records[index].gas_wanted
        return self.decode_tx(tx_bytes)[0].body.fee.gas_limit

    def split_entries(self, txs: tuple[bytes, ...]) -> tuple[tuple[tuple[str, bytes], ...], tuple[bytes, ...], int]:
        """``(entries, real txs, number of entries txs)`` of a block (see :func:`proposal.split_entries`)."""
        return split_entries(txs)

    def process_proposal(self, block: BlockRequest) -> bool:
        """Accept a proposed block only if its entries are valid, every other tx decodes as a tx and the block fits
        the byte and gas limits."""
        if block.height != self._next_height():
            return False
        entries, txs, entries_txs = split_entries(block.txs)
        info = BlockInfo(chain_id=self.chain_id, height=block.height, time_ns=block.time_ns, proposer=block.proposer,
                         entries=entries)
        if not is_valid_entries(self.proposing, self._proposal_context(info), entries_txs):
            return False
        limits = self.consensus_params.block
        return is_within_limits(block.txs[:entries_txs], txs, limits.max_bytes, limits.max_gas, self._gas_limit_of)

    def _next_height(self) -> int:
        if self.store.version == 0:
            raw = self._pending_meta.get(META_INITIAL_HEIGHT) or self.store.get_meta(META_INITIAL_HEIGHT)
            return int(raw.decode()) if raw else 1
        return self.store.version + 1

    # ---- blocks -----------------------------------------------------------------------------------------------
    def finalize_block(self, block: BlockRequest) -> FinalizeResult:
        """Execute a decided block: begin-block hooks, every tx in order, end-block hooks; stage the app hash."""
        if self._pending is not None:
            raise ErrInvalidHeight(f"block {self._pending[0]} finalized but not committed")
        if block.height != self._next_height():
            raise ErrInvalidHeight(f"expected height {self._next_height()}, got {block.height}")
        deliver = self._deliver if self._deliver is not None else CacheKV(self._latest)
        entries, txs, entries_txs = split_entries(block.txs)
        info = BlockInfo(chain_id=self.chain_id, height=block.height, time_ns=block.time_ns, proposer=block.proposer,
                         last_commit=block.last_commit, misbehavior=block.misbehavior, hash=block.hash,
                         entries=entries)
        block_ctx = Context(kv=deliver, block=info, gas_meter=infinite_meter())
        for module in self.modules:
            if module.begin_block is not None:
                module.begin_block(block_ctx)
        walk = Replay(self._checked if self._deliver is None else CheckLog(), deliver.writes)
        tx_results = self._deliver_txs(deliver, info, txs, walk)
        ending = CacheKV(deliver)  # the end-block steps on their own branch: their writes are foreign to the walk
        end_ctx = Context(kv=ending, block=info, gas_meter=infinite_meter(), events=block_ctx.events)
        updates: list[ValidatorUpdate] = []
        for module in self.modules:
            if module.end_block is not None:
                updates.extend(module.end_block(end_ctx) or ())
        self._walk = walk.next_height([*ending.writes, *(k for k in walk.last_writer if k.startswith(TRANSIENT_PREFIX))])
        ending.write()
        deliver.discard_transient()  # transient keys never reach the tree
        self._deliver = deliver
        app_hash = self.store.stage(deliver.writes)
        self._pending = (block.height, block.time_ns, app_hash)
        return FinalizeResult(tx_results=tx_results, events=render_events(block_ctx.events),
                              validator_updates=[(u.pub_key, u.power) for u in updates],
                              consensus_param_updates=None, app_hash=app_hash, entry_txs=entries_txs)

    def _deliver_txs(self, deliver: CacheKV, info: BlockInfo, txs: tuple[bytes, ...], walk: Replay) -> list[TxResult]:
        """Run the block's txs in order, replaying each checked run that is still valid (see ``replay.py``). The
        walk has no log when the block does not start on the state CheckTx ran on (the first block, whose deliver
        cache still holds the genesis writes)."""
        records = walk.take_all(txs)
        if records is not None:  # the block is what CheckTx admitted first, in order, and nothing before it changed their reads
            self.txs_replayed += len(records)
            apply_writes(deliver, compute_combined_writes(records))
            return [TxResult(gas_wanted=r.gas_wanted, gas_used=r.gas_used, events=render_events(r.events))
                    for r in records]
        results = []
        for tx in txs:
            record = walk.take(tx)
            if record is not None:
                self.txs_replayed += 1
                apply_writes(deliver, record.writes)
                results.append(TxResult(gas_wanted=record.gas_wanted, gas_used=record.gas_used,
                                        events=render_events(record.events)))
                continue
            self.txs_run += 1
            result, _, writes = self._execute_tx(deliver, info, tx, TxMode.DELIVER)
            walk.note_run(writes)
            results.append(result)
        return results

    def commit(self) -> int:
        """Persist the finalized block's state as one version; return the retain height (0 = keep all)."""
        if self._pending is None:
            raise ErrInvalidRequest("nothing to commit: finalize_block first")
        height, time_ns, _ = self._pending
        meta = dict(self._pending_meta)
        meta[META_LAST_BLOCK_TIME] = str(time_ns).encode()
        base = self.store.version
        self.store.commit(version=height, meta=meta)
        self._latest.advance(base, self._deliver.writes if self._deliver is not None else {})
        self._pending, self._pending_meta, self._deliver = None, {}, None
        self._check_info = None
        rebase, self._walk = self._walk, None
        self.reset_check_state()
        self._rebase = rebase  # CheckTx re-admits the pending txs the block left valid without running them
        keep = getattr(self.store, "keep_recent", 0)
        return max(0, height - keep + 1) if keep else 0

    def reset_check_state(self) -> None:
        """Forget CheckTx effects: the check state is the last committed state again (``commit`` does this, then the
        mempool re-checks its pending txs; a restored snapshot does it too)."""
        self._check = CacheKV(self._latest)
        self._checked = CheckLog()
        self._rebase = None

    # ---- queries ----------------------------------------------------------------------------------------------
    def _read_context(self, version: int, recording: bool = False) -> Context:
        kv: Any = CommittedKV(self.store, version)
        if recording:
            kv = RecordingKV(kv)
        return Context(kv=kv, block=BlockInfo(chain_id=self.chain_id, height=version, time_ns=0),
                       gas_meter=GasMeter(QUERY_GAS_LIMIT))

    def query(self, path: str, data: bytes = b"", height: int = 0, prove: bool = False) -> QueryResult:
        """Serve ``<module>/<route>`` (JSON request in ``data``), ``store/key`` (raw key) or ``app/simulate``."""
        try:
            version = self.store.version if height == 0 else height
            if version <= 0 or version > self.store.version:
                raise ErrInvalidHeight(f"height {height} is not available (latest {self.store.version})")
            if path == "app/simulate":
                result = self.simulate(data)
                return QueryResult(value=msgspec.json.encode(result), height=version)
            if path == "store/key":
                value, proof = self._prove(data, version)
                return QueryResult(value=value or b"", height=version,
                                   proofs=[ProvenRead(key=data, value=value, proof=proof)] if prove else [])
            return self._module_query(path, data, version, prove)
        except VersionUnavailable as exc:
            return self._query_error(ErrInvalidHeight(f"height {height}: {exc}"), height)
        except SuretyError as exc:
            return self._query_error(exc, height)

    @staticmethod
    def _query_error(exc: SuretyError, height: int) -> QueryResult:
        return QueryResult(code=exc.code, codespace=exc.codespace, log=exc.log, height=height)

    def _module_query(self, path: str, data: bytes, version: int, prove: bool) -> QueryResult:
        module_name, _, route_name = path.partition("/")
        module = self.modules_by_name.get(module_name)
        route = module.queries.get(route_name) if module else None
        if route is None:
            raise ErrUnknownRequest(f"unknown query path {path!r}")
        request = Decoder(route.request_type).decode_json(data or b"{}")
        ctx = self._read_context(version, recording=prove)
        response = route.handler(ctx, request)
        proofs = []
        if prove:
            for key in ctx.kv.read_keys:  # type: ignore[attr-defined]
                value, proof = self._prove(key, version)
                proofs.append(ProvenRead(key=key, value=value, proof=proof))
        return QueryResult(value=to_json(response), height=version, proofs=proofs)

    def _prove(self, key: bytes, version: int) -> tuple[bytes | None, bytes]:
        value, proof = self.store.prove(key, version)
        return value, encode_proof(proof)

    def query_json(self, path: str, params: dict[str, Any] | None = None, height: int = 0) -> Any:
        """Convenience for in-process callers: run a module query and return decoded JSON (raise on error)."""
        result = self.query(path, msgspec.json.encode(params or {}), height)
        if result.code != 0:
            raise SuretyError(result.codespace, result.code, result.log)
        return msgspec.json.decode(result.value)

    # ---- invariants -------------------------------------------------------------------------------------------
    def check_invariants(self, version: int | None = None) -> list[str]:
        """Run every module's invariants on committed state; return the broken ones (empty = all hold)."""
        ctx = self._read_context(self.store.version if version is None else version)
        ctx.gas_meter = infinite_meter()
        return self._run_invariants(ctx)

    def _run_invariants(self, ctx: Context) -> list[str]:
        broken = []
        for module in self.modules:
            for name, check in module.invariants.items():
                problem = check(ctx)
                if problem:
                    broken.append(f"{module.name}/{name}: {problem}")
        return broken


def _error_result(exc: SuretyError, meter: GasMeter) -> TxResult:
    return TxResult(code=exc.code, codespace=exc.codespace, log=exc.log,
                    gas_wanted=meter.limit if meter.limit < infinite_meter().limit else 0,
                    gas_used=min(meter.consumed, meter.limit))


def _union(types: list[type]) -> Any:
    return Union[tuple(types)] if len(types) > 1 else types[0]


def _peek_tag(raw: bytes) -> str | None:
    """The ``type`` field of an encoded msg, if the bytes are a map with one."""
    try:
        obj = msgspec.msgpack.decode(raw)
    except (msgspec.DecodeError, ValueError):
        return None
    tag = obj.get("type") if isinstance(obj, dict) else None
    return tag if isinstance(tag, str) else None


