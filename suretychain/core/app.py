"""The App: one deterministic state machine behind the ABCI-shaped calls.

The embedded devnet and the CometBFT ABCI server drive it through the same calls, in the same order:

``init_chain`` once, then per block ``prepare_proposal`` (proposer only), ``process_proposal``, ``finalize_block``
(returns tx results, events, validator updates and the app hash) and ``commit`` (the only call that writes to disk).
``check_tx`` feeds the mempool, ``query`` and ``info`` serve reads.

**Proposal entries.** Modules may add data the proposer alone can produce (the beacon's VRF proof) through
``Module.propose`` / ``Module.verify_proposal``. ``prepare_proposal`` puts them all in one extra *first* tx, a
:class:`BlockEntries` (msgpack map with the single key ``block_entries``), which can never decode as a ``Tx``;
``process_proposal`` rejects the block unless every module accepts its entry (or its absence) and no other tx is an
entries tx; ``finalize_block`` strips it, hands the entries to the modules as ``BlockInfo.entries`` and runs the
real txs. ``FinalizeResult.tx_results`` has one result per *real* tx; ``entry_txs`` (0 or 1) says how many leading
txs of the block were entries, so the ABCI layer can answer CometBFT with one (empty, code 0) result per tx.

State during a block lives in a cache over the committed store; ``finalize_block`` stages its writes in the Merkle
tree to get the app hash and ``commit`` persists them as one version, atomically.
"""
from __future__ import annotations

import enum
import logging
import weakref
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any, Iterable, Protocol, Union

import msgspec

from suretychain.core import crypto, sigverify
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
from suretychain.core.events import Event
from suretychain.core.gas import GasMeter, infinite_meter
from suretychain.core.genesis import (
    ConsensusParams,
    GenesisDoc,
    decode_module_state,
    encode_module_state,
    format_time,
    parse_time,
)
from suretychain.core.kv import CacheKV, CommittedKV, LatestKV, RecordingKV
from suretychain.core.module import Module, MsgRoute, ValidatorUpdate
from suretychain.core.proof import encode_proof
from suretychain.core.sigverify import VerifierProcess
from suretychain.core.store import VersionUnavailable
from suretychain.core.tx import Msg, Tx, compute_sign_bytes, compute_tx_hash

log = logging.getLogger(__name__)

APP_VERSION = 1
MAX_TX_BYTES = 64 * 1024
QUERY_GAS_LIMIT = 50_000_000
SIG_CACHE_SIZE = 200_000
DECODE_CACHE_SIZE = 50_000
PARALLEL_VERIFY_MIN = 8  # fewer signatures are not worth the hand-off to the helper process
VERIFY_BATCH = 256  # signatures per message to the helper (answers can be read batch by batch)
ENTRY_TX_OVERHEAD = 16  # bytes reserved beside the entries tx for consensus's per-tx framing in max_tx_bytes

META_CHAIN_ID = b"chain_id"
META_CONSENSUS_PARAMS = b"consensus_params"
META_INITIAL_HEIGHT = b"initial_height"
META_GENESIS_TIME = b"genesis_time"
META_LAST_BLOCK_TIME = b"last_block_time"


class TxMode(enum.Enum):
    """How a tx is run: for real in a block, as a simulation, or only its ante step (mempool admission and
    proposal building)."""

    DELIVER = "deliver"
    CHECK = "check"
    SIMULATE = "simulate"


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


class BlockEntries(Record):
    """The first tx of a block whose proposer added module entries: ``{"block_entries": {module: entry}}``.
    It never decodes as a ``Tx`` (which needs ``body`` and ``signature`` and rejects unknown fields)."""

    block_entries: dict[str, bytes]


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


_ENTRIES_DECODER = Decoder(BlockEntries)


def decode_block_entries(tx_bytes: bytes) -> BlockEntries | None:
    """The entries tx decoded, or None if ``tx_bytes`` is not one (e.g. a real tx)."""
    try:
        return _ENTRIES_DECODER.decode(tx_bytes)
    except SuretyError:
        return None


def count_entry_txs(txs: list[bytes] | tuple[bytes, ...]) -> int:
    """How many leading txs of a block are its entries tx (0 or 1): for shells that list the real txs only."""
    return 1 if txs and decode_block_entries(txs[0]) is not None else 0


class AnteHandler(Protocol):
    """Checks and charges a tx before its msgs run (signature, sequence, fee): supplied by the auth module."""

    def __call__(self, ctx: Context, tx: Tx, msgs: list[Msg], tx_size: int, simulate: bool) -> None: ...


class BoundedMemo:
    """A bounded least-recently-added memo for pure functions of bytes (never of state)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[bytes, Any] = OrderedDict()

    def get(self, key: bytes) -> Any:
        return self._items.get(key)

    def put(self, key: bytes, value: Any) -> None:
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)


class SignatureCache:
    """Remembers signatures that verified: validity is a pure function of (key, message, signature), so this saves
    re-verifying in CheckTx, PrepareProposal and FinalizeBlock without touching consensus.

    :meth:`prefetch` hands the signatures of txs that have just arrived to a helper process
    (:mod:`suretychain.core.sigverify`), which checks them on the other core while this thread goes on with CheckTx
    and blocks; :meth:`verify` reads the helper's answers when it reaches one of them. Only "valid" answers enter
    the memo; a signature the helper called invalid, or never saw, is verified here.
    """

    def __init__(self, size: int = SIG_CACHE_SIZE) -> None:
        self._verified = BoundedMemo(size)
        self._helper: VerifierProcess | None = None
        self._helper_failed = False
        self._sent: deque[list[bytes]] = deque()  # tokens of each batch sent and not yet answered, oldest first
        self._in_flight: dict[bytes, int] = {}  # token -> number of the batch it went in
        self._batches_sent = self._batches_read = 0

    def prefetch(self, items: list[tuple[bytes, bytes, bytes]]) -> None:
        """Send many (key, message, signature) triples to the helper; returns at once."""
        todo, seen = [], set()
        for item in items:
            token = item[0] + item[1] + item[2]
            if token not in seen and token not in self._in_flight and not self._verified.get(token) \
                    and sigverify.is_record(item):
                seen.add(token)
                todo.append(item)
        helper = self._start_helper() if len(todo) >= PARALLEL_VERIFY_MIN else None
        if helper is None:
            return
        for start in range(0, len(todo), VERIFY_BATCH):
            batch = todo[start:start + VERIFY_BATCH]
            try:
                helper.send(batch)
            except OSError:
                self._drop_helper()
                return
            tokens = [pk + message + signature for pk, message, signature in batch]
            self._sent.append(tokens)
            for token in tokens:
                self._in_flight[token] = self._batches_sent
            self._batches_sent += 1

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """``ed25519.verify``, memoised by (key, message, signature)."""
        token = public_key + message + signature
        if self._verified.get(token):
            return True
        batch = self._in_flight.get(token)
        if batch is not None:
            self._read_answers(batch)
            if self._verified.get(token):
                return True
        if not crypto.PublicKey(public_key).verify(message, signature):
            return False
        self._verified.put(token, True)
        return True

    def _read_answers(self, through: int) -> None:
        """Read the helper's answers up to batch number ``through``, remembering the valid signatures."""
        while self._batches_read <= through and self._sent:
            tokens = self._sent.popleft()
            try:
                answers = self._helper.receive(len(tokens)) if self._helper is not None else b""
            except OSError:
                answers = b""
            for token, ok in zip(tokens, answers):
                if ok == 1:
                    self._verified.put(token, True)
            for token in tokens:
                self._in_flight.pop(token, None)
            self._batches_read += 1
            if len(answers) != len(tokens):
                self._drop_helper()

    def _start_helper(self) -> VerifierProcess | None:
        if self._helper is None and not self._helper_failed:
            try:
                self._helper = VerifierProcess()
                weakref.finalize(self, self._helper.close)
            except OSError:
                log.warning("signature helper process unavailable; verifying in-process", exc_info=True)
                self._helper_failed = True
        return self._helper

    def _drop_helper(self) -> None:
        """The helper is gone: forget what it was asked (those signatures get verified here) and stop using it."""
        log.warning("signature helper process failed; verifying in-process")
        self._sent.clear()
        self._in_flight.clear()
        self._batches_read = self._batches_sent
        if self._helper is not None:
            self._helper.close()
        self._helper, self._helper_failed = None, True


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
        self._admitted: list[bytes] = []  # hashes CheckTx admitted on ``_check``, in order (reset with it)
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

    def check_tx(self, tx_bytes: bytes, recheck: bool = False) -> TxResult:
        """Mempool admission: decode the tx and run its ante step (chain id, timeout, memo, signer, sequence,
        signature, fee paid) on the pending check state (the state after every tx already admitted); if that
        passes, the tx is admitted and its fee and sequence kept for the next check. Its msgs are not run here: a
        msg that fails (insufficient funds, a zero amount) fails in the block with its coded error, and the fee is
        charged (``simulate``, which ``--gas auto`` calls before signing, runs the msgs and reports such errors)."""
        result = self._run_tx(self._check, self._check_block(), tx_bytes, TxMode.CHECK)
        if result.code == 0:
            self._admitted.append(compute_tx_hash(tx_bytes))
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

    def _run_tx(self, parent: CacheKV, block: BlockInfo, tx_bytes: bytes, mode: TxMode) -> TxResult:
        """Decode, run the ante step, then the msgs atomically, all on one branch of ``parent``.

        DELIVER keeps the ante effects (fee, sequence) even when a msg fails; SIMULATE keeps nothing unless every
        msg succeeds; CHECK (mempool admission, proposal building) runs the ante step alone, as Cosmos SDK's CheckTx
        does: the msgs run once, in the block.
        """
        meter = infinite_meter()
        cache = CacheKV(parent)
        try:
            tx, msgs = self.decode_tx(tx_bytes)
            max_gas = self.consensus_params.block.max_gas
            # A tx asking for more gas than a block holds could never be included
            require(max_gas < 0 or tx.body.fee.gas_limit <= max_gas, ErrInvalidGasLimit,
                    lambda: f"gas limit {tx.body.fee.gas_limit} > block max gas {max_gas}")
            meter = GasMeter(infinite_meter().limit if mode is TxMode.SIMULATE else tx.body.fee.gas_limit)
            ctx = Context(kv=cache, block=block, gas_meter=meter, is_check=mode is not TxMode.DELIVER,
                          verify_signature=self.sig_cache.verify)
            self.ante(ctx, tx, msgs, len(tx_bytes), mode is TxMode.SIMULATE)
        except SuretyError as exc:
            return _error_result(exc, meter)
        gas_wanted = tx.body.fee.gas_limit
        if mode is TxMode.CHECK:
            cache.write()
            return TxResult(gas_wanted=gas_wanted, gas_used=meter.consumed, events=ctx.events)
        ante_writes, ante_events = cache.checkpoint(), len(ctx.events)
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
            cache.write()
            return TxResult(gas_wanted=gas_wanted, gas_used=meter.consumed, events=ctx.events)
        if mode is TxMode.DELIVER:
            cache.rollback(ante_writes)
            cache.write()  # the fee is charged and the sequence used, though the msgs are reverted
        return TxResult(code=failure.code, codespace=failure.codespace, log=failure.log, gas_wanted=gas_wanted,
                        gas_used=min(meter.consumed, meter.limit), events=ctx.events[:ante_events])

    # ---- proposals --------------------------------------------------------------------------------------------
    def prepare_proposal(self, txs: Iterable[bytes], max_tx_bytes: int, height: int, time_ns: int,
                         proposer: bytes = b"") -> list[bytes]:
        """The block's txs: first this node's proposal entries (if any module has one), then the mempool's txs in
        order, dropping those that fail the ante checks against the block's start state, stopping at
        ``max_tx_bytes`` (the entries tx counts against it) and at the block gas limit."""
        block = BlockInfo(chain_id=self.chain_id, height=height, time_ns=time_ns, proposer=proposer)
        entries_tx = self._propose_entries(block)
        chosen: list[bytes] = [entries_tx] if entries_tx else []
        max_tx_bytes -= len(entries_tx) + ENTRY_TX_OVERHEAD if entries_tx else 0
        txs = list(txs)
        if self._all_admitted_in_order(txs, max_tx_bytes):
            return chosen + txs  # CheckTx already ran them, in this order, on this state: nothing to drop
        scratch = CacheKV(self._block_start_kv())
        total_bytes = total_gas = 0
        max_gas = self.consensus_params.block.max_gas
        for tx_bytes in txs:
            if total_bytes + len(tx_bytes) > max_tx_bytes:
                continue
            result = self._run_tx(scratch, block, tx_bytes, TxMode.CHECK)
            if result.code != 0:
                continue
            if max_gas >= 0 and total_gas + result.gas_wanted > max_gas:
                continue
            chosen.append(tx_bytes)
            total_bytes += len(tx_bytes)
            total_gas += result.gas_wanted
        return chosen

    def _block_start_kv(self) -> Any:
        """The state a proposal for the next block is built and checked on (the genesis cache before block one)."""
        return self._latest if self._deliver is None else self._deliver

    def _propose_entries(self, block: BlockInfo) -> bytes:
        """This node's entries for ``block`` as one :class:`BlockEntries` tx (empty bytes if no module has one)."""
        ctx = Context(kv=CacheKV(self._block_start_kv()), block=block, gas_meter=infinite_meter())
        entries = {}
        for module in self.proposing:
            entry = module.propose(ctx) if module.propose is not None else None
            if entry is not None:
                entries[module.name] = entry
        return encode(BlockEntries(block_entries=entries)) if entries else b""

    def split_entries(self, txs: tuple[bytes, ...]) -> tuple[tuple[tuple[str, bytes], ...], tuple[bytes, ...], int]:
        """``(entries, real txs, number of entries txs)``: the first tx is the entries tx if it decodes as one."""
        found = decode_block_entries(txs[0]) if txs else None
        if found is None:
            return (), txs, 0
        return tuple(sorted(found.block_entries.items())), txs[1:], 1

    def is_valid_entries(self, block: BlockInfo, entries_txs: int) -> bool:
        """Every proposing module accepts its entry (or its absence); no entry for a module that takes none; an
        entries tx is never empty."""
        if entries_txs and not block.entries:
            return False
        names = {m.name for m in self.proposing}
        if any(name not in names for name, _ in block.entries):
            return False
        ctx = Context(kv=CacheKV(self._block_start_kv()), block=block, gas_meter=infinite_meter())
        return all(m.verify_proposal(ctx, block.entry(m.name)) for m in self.proposing)  # type: ignore[misc]

    def _all_admitted_in_order(self, txs: list[bytes], max_tx_bytes: int) -> bool:
        """True if ``txs`` are exactly the txs CheckTx admitted since the last commit, in admission order, and all of
        them fit the block: then CheckTx has already run each one (ante and msgs) on the state the block starts
        from, in this order, and the ante filter below could drop none of them."""
        if len(txs) != len(self._admitted) or sum(len(tx) for tx in txs) > max_tx_bytes:
            return False
        if any(compute_tx_hash(tx) != admitted for tx, admitted in zip(txs, self._admitted)):
            return False
        max_gas = self.consensus_params.block.max_gas
        return max_gas < 0 or sum(self.decode_tx(tx)[0].body.fee.gas_limit for tx in txs) <= max_gas

    def process_proposal(self, block: BlockRequest) -> bool:
        """Accept a proposed block only if its entries are valid, every other tx decodes as a tx and the block fits
        the byte and gas limits."""
        if block.height != self._next_height():
            return False
        entries, txs, entries_txs = self.split_entries(block.txs)
        info = BlockInfo(chain_id=self.chain_id, height=block.height, time_ns=block.time_ns, proposer=block.proposer,
                         entries=entries)
        if not self.is_valid_entries(info, entries_txs):
            return False
        total_gas = 0
        total_bytes = sum(len(tx) for tx in block.txs[:entries_txs])
        for tx_bytes in txs:
            try:
                tx, _ = self.decode_tx(tx_bytes)
            except SuretyError:
                return False
            total_gas += tx.body.fee.gas_limit
            total_bytes += len(tx_bytes)
        max_gas = self.consensus_params.block.max_gas
        return total_bytes <= self.consensus_params.block.max_bytes and (max_gas < 0 or total_gas <= max_gas)

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
        entries, txs, entries_txs = self.split_entries(block.txs)
        info = BlockInfo(chain_id=self.chain_id, height=block.height, time_ns=block.time_ns, proposer=block.proposer,
                         last_commit=block.last_commit, misbehavior=block.misbehavior, hash=block.hash,
                         entries=entries)
        block_ctx = Context(kv=deliver, block=info, gas_meter=infinite_meter())
        for module in self.modules:
            if module.begin_block is not None:
                module.begin_block(block_ctx)
        tx_results = [self._run_tx(deliver, info, tx, TxMode.DELIVER) for tx in txs]
        updates: list[ValidatorUpdate] = []
        for module in self.modules:
            if module.end_block is not None:
                updates.extend(module.end_block(block_ctx) or ())
        self._deliver = deliver
        app_hash = self.store.stage(deliver.writes)
        self._pending = (block.height, block.time_ns, app_hash)
        return FinalizeResult(tx_results=tx_results, events=block_ctx.events,
                              validator_updates=[(u.pub_key, u.power) for u in updates],
                              consensus_param_updates=None, app_hash=app_hash, entry_txs=entries_txs)

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
        self.reset_check_state()
        keep = getattr(self.store, "keep_recent", 0)
        return max(0, height - keep + 1) if keep else 0

    def reset_check_state(self) -> None:
        """Forget CheckTx effects (the mempool re-checks its txs after each commit)."""
        self._check = CacheKV(self._latest)
        self._admitted = []

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


