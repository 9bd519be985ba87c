"""ABCI requests to App calls: one protobuf ``Request`` in, one ``Response`` out.

The mapping (``docs/cometbft.md`` has the table):

- Info -> ``App.info``; InitChain -> ``App.init_chain`` (GenesisDoc built from the request);
- CheckTx -> ``App.check_tx`` (new and recheck); Query -> ``App.query`` (proofs as ProofOps "surety/smt");
- PrepareProposal / ProcessProposal / FinalizeBlock -> the App's calls of the same name; the block's proposal
  entries tx (first, see ``suretychain.core.app``) gets an empty code-0 ExecTxResult, because CometBFT wants exactly
  one result per tx of the block;
- ExtendVote / VerifyVoteExtension: empty / ACCEPT (vote extensions are not used);
- Commit -> ``App.commit``, the mempool's check state is reset, and every ``snapshot_interval`` blocks a snapshot;
- ListSnapshots / OfferSnapshot / LoadSnapshotChunk / ApplySnapshotChunk: state sync (``snapshots.py``).

A failure in a consensus call raises :class:`ConsensusFailure`: the server stops the node, because CometBFT must
halt rather than let this node diverge. CheckTx and Query failures are answered with coded errors.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Callable

import msgspec

from suretychain.core.app import App, BlockRequest, TxResult
from suretychain.core.context import Misbehavior, VoteInfo
from suretychain.core.errors import ErrInternal, ErrInvalidRequest, SuretyError
from suretychain.core.events import Event
from suretychain.core.genesis import BlockParams, ConsensusParams, EvidenceParams, GenesisDoc, format_time
from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.snapshots import (
    SNAPSHOT_FORMAT,
    SnapshotError,
    SnapshotStore,
    chunk_hashes,
    decode_payload,
    join_chunks,
    restore_store,
)
from suretychain.node.sigverify import VerifierProcess

log = logging.getLogger("surety.abci")

PROOF_OP_TYPE = "surety/smt"
APP_NAME = "surety"
MISBEHAVIOR_KINDS = {pb.DUPLICATE_VOTE: "duplicate_vote", pb.LIGHT_CLIENT_ATTACK: "light_client_attack"}
CONSENSUS_CALLS = frozenset({"init_chain", "prepare_proposal", "process_proposal", "extend_vote",
                             "verify_vote_extension", "finalize_block", "commit"})


class ConsensusFailure(Exception):
    """A consensus-connection call failed: the node must stop (CometBFT halts rather than diverges)."""


@dataclass(frozen=True)
class AbciConfig:
    """Node-side options of the ABCI application."""

    snapshot_interval: int = 0  # take a state-sync snapshot every N blocks (0: never)
    snapshot_keep: int = 2
    snapshot_chunk_bytes: int = 1024 * 1024
    retain_blocks: bool = False  # pass the App's retain height to CometBFT (it then prunes its block store)


@dataclass
class _Restore:
    """A state-sync restore in progress: the offered snapshot and the chunks received so far."""

    snapshot: Any
    app_hash: bytes
    hashes: list[bytes]
    chunks: list[bytes | None]


class AbciApplication:
    """Answers ABCI requests with the App. ``make_app(store)`` rebuilds the App after a state-sync restore."""

    def __init__(self, app: App, snapshots: SnapshotStore | None = None, config: AbciConfig = AbciConfig(),
                 make_app: Callable[[Any], App] | None = None, version: str = "") -> None:
        self.app = app
        app.sig_cache.attach(VerifierProcess)  # signatures are checked on the other core
        self.snapshots = snapshots
        self.config = config
        self.make_app = make_app
        self.version = version
        self._restore: _Restore | None = None
        self.last_finalized_height = 0  # height of the last FinalizeBlock (the block the next Commit persists)
        self.checks = [0, 0]  # CheckTx requests (new, recheck) since the last Commit, for the node log
        self._block_txs = 0

    # ---- dispatch ---------------------------------------------------------------------------------------------
    def handle(self, request: pb.Request) -> pb.Response:
        """One request -> its response; raises :class:`ConsensusFailure` when a consensus call fails."""
        kind = request.WhichOneof("value")
        if kind is None:
            raise ConsensusFailure("empty ABCI request")
        handler = getattr(self, f"process_{kind}", None)
        if handler is None:
            return pb.Response(exception=pb.ExceptionResponse(error=f"unsupported request {kind}"))
        try:
            return handler(getattr(request, kind))
        except ConsensusFailure:
            raise
        except Exception as exc:
            if kind in CONSENSUS_CALLS or kind in ("offer_snapshot", "apply_snapshot_chunk"):
                raise ConsensusFailure(f"{kind} failed: {type(exc).__name__}: {exc}") from exc
            log.exception("%s failed", kind)
            return self._coded_failure(kind, exc)

    def _coded_failure(self, kind: str, exc: Exception) -> pb.Response:
        err = exc if isinstance(exc, SuretyError) else ErrInternal(f"{type(exc).__name__}: {exc}")
        if kind == "check_tx":
            return pb.Response(check_tx=pb.CheckTxResponse(code=err.code, codespace=err.codespace, log=err.log))
        if kind == "query":
            return pb.Response(query=pb.QueryResponse(code=err.code, codespace=err.codespace, log=err.log))
        return pb.Response(exception=pb.ExceptionResponse(error=str(err)))

    # ---- connection and info ----------------------------------------------------------------------------------
    def process_echo(self, req: pb.EchoRequest) -> pb.Response:
        return pb.Response(echo=pb.EchoResponse(message=req.message))

    def process_flush(self, req: pb.FlushRequest) -> pb.Response:
        return pb.Response(flush=pb.FlushResponse())

    def process_info(self, req: pb.InfoRequest) -> pb.Response:
        """Last committed height and app hash: CometBFT's handshake replays blocks from here."""
        info = self.app.info()
        app_hash = info.last_block_app_hash if info.last_block_height > 0 else b""
        return pb.Response(info=pb.InfoResponse(data=APP_NAME, version=self.version, app_version=info.app_version,
                                                last_block_height=info.last_block_height,
                                                last_block_app_hash=app_hash))

    # ---- genesis ----------------------------------------------------------------------------------------------
    def process_init_chain(self, req: pb.InitChainRequest) -> pb.Response:
        """Genesis: the App's validators (from the staking genesis) and the app hash.

        The App's set must equal genesis.json's (``req.validators``): CometBFT would otherwise adopt the App's set
        on this node only, and the network would halt or fork. A mismatch is a :class:`ConsensusFailure` (the
        node stops). Only a genesis.json with no validators lets the App choose the set alone."""
        result = self.app.init_chain(compute_genesis_doc(req))
        check_genesis_validators(result.validators, req.validators)
        validators = [encode_validator_update(key, power) for key, power in result.validators]
        self.last_finalized_height = 0
        return pb.Response(init_chain=pb.InitChainResponse(validators=validators, app_hash=result.app_hash))

    # ---- mempool ----------------------------------------------------------------------------------------------
    def process_check_tx(self, req: pb.CheckTxRequest) -> pb.Response:
        """``App.check_tx``, without events: CometBFT's mempool and its broadcast replies do not use CheckTx events,
        and rendering and encoding them cost as much as the check itself."""
        recheck = req.type == pb.RECHECK
        self.checks[recheck] += 1
        result = self.app.check_tx(req.tx, recheck=recheck, with_events=False)
        return pb.Response(check_tx=pb.CheckTxResponse(
            code=result.code, codespace=result.codespace, log=result.log, gas_wanted=result.gas_wanted,
            gas_used=result.gas_used, data=result.data))

    def prefetch_check_tx(self, requests: list[pb.Request]) -> None:
        """Hand the signatures of the new txs among ``requests`` (read together from the mempool connection) to the
        App's signature helper before they are answered one by one."""
        txs = [r.check_tx.tx for r in requests if r.WhichOneof("value") == "check_tx" and r.check_tx.type != pb.RECHECK]
        if len(txs) > 1:
            self.app.prefetch_signatures(txs)

    # ---- queries ----------------------------------------------------------------------------------------------
    def process_query(self, req: pb.QueryRequest) -> pb.Response:
        """``App.query``; with ``prove`` each store key read becomes one ProofOp: type "surety/smt", key = the store
        key, data = the msgpack ProvenRead (key, value or nil when absent, encoded proof)."""
        result = self.app.query(req.path, req.data, req.height, req.prove)
        ops = [pb.ProofOp(type=PROOF_OP_TYPE, key=p.key, data=msgspec.msgpack.encode(p)) for p in result.proofs]
        key = result.proofs[0].key if len(result.proofs) == 1 else b""
        return pb.Response(query=pb.QueryResponse(
            code=result.code, codespace=result.codespace, log=result.log, key=key, value=result.value,
            height=result.height, proof_ops=pb.ProofOps(ops=ops) if ops else None))

    # ---- consensus --------------------------------------------------------------------------------------------
    def process_prepare_proposal(self, req: pb.PrepareProposalRequest) -> pb.Response:
        txs = self.app.prepare_proposal(list(req.txs), req.max_tx_bytes, req.height, compute_time_ns(req.time),
                                        req.proposer_address)
        return pb.Response(prepare_proposal=pb.PrepareProposalResponse(txs=txs))

    def process_process_proposal(self, req: pb.ProcessProposalRequest) -> pb.Response:
        accepted = self.app.process_proposal(compute_block_request(req, req.proposed_last_commit))
        status = pb.VERDICT_ACCEPT if accepted else pb.VERDICT_REJECT
        return pb.Response(process_proposal=pb.ProcessProposalResponse(status=status))

    def process_extend_vote(self, req: pb.ExtendVoteRequest) -> pb.Response:
        return pb.Response(extend_vote=pb.ExtendVoteResponse())

    def process_verify_vote_extension(self, req: pb.VerifyVoteExtensionRequest) -> pb.Response:
        return pb.Response(verify_vote_extension=pb.VerifyVoteExtensionResponse(status=pb.VERDICT_ACCEPT))

    def process_finalize_block(self, req: pb.FinalizeBlockRequest) -> pb.Response:
        """Execute the block; one ExecTxResult per tx of the block, an empty one for the entries tx."""
        result = self.app.finalize_block(compute_block_request(req, req.decided_last_commit))
        self.last_finalized_height = req.height
        self._block_txs = len(result.tx_results)
        response = pb.Response()
        answer = response.finalize_block  # built in place: protobuf would copy every message handed to it
        add_events(answer.events, result.events)
        add_result = answer.tx_results.add
        for _ in range(result.entry_txs):
            add_result()
        for tx_result in result.tx_results:
            fill_tx_result(add_result(), tx_result)
        answer.validator_updates.extend([encode_validator_update(k, p) for k, p in result.validator_updates])
        answer.app_hash = result.app_hash
        return response

    def process_commit(self, req: pb.CommitRequest) -> pb.Response:
        """Persist the block (which also starts a fresh check state: CometBFT rechecks its mempool next, and the App
        re-admits without running each pending tx the block changed nothing for); snapshot if due."""
        retain = self.app.commit()
        height = self.app.info().last_block_height
        log.info("committed block %d: %d txs; since the last commit %d new CheckTx, %d re-checks", height,
                 self._block_txs, self.checks[0], self.checks[1])
        self.checks = [0, 0]
        interval = self.config.snapshot_interval
        if self.snapshots is not None and interval > 0 and height % interval == 0:
            manifest = self.snapshots.create(self.app.store, height)
            log.info("snapshot at height %d: %d chunks", height, manifest.chunks)
        return pb.Response(commit=pb.CommitResponse(retain_height=retain if self.config.retain_blocks else 0))

    # ---- state sync -------------------------------------------------------------------------------------------
    def process_list_snapshots(self, req: pb.ListSnapshotsRequest) -> pb.Response:
        manifests = self.snapshots.list() if self.snapshots is not None else []
        return pb.Response(list_snapshots=pb.ListSnapshotsResponse(snapshots=[
            pb.Snapshot(height=m.height, format=m.format, chunks=m.chunks, hash=m.hash, metadata=m.metadata)
            for m in manifests]))

    def process_load_snapshot_chunk(self, req: pb.LoadSnapshotChunkRequest) -> pb.Response:
        chunk = self.snapshots.load_chunk(req.height, req.format, req.chunk) if self.snapshots is not None else b""
        return pb.Response(load_snapshot_chunk=pb.LoadSnapshotChunkResponse(chunk=chunk))

    def process_offer_snapshot(self, req: pb.OfferSnapshotRequest) -> pb.Response:
        """Accept a format-1 snapshot when this node has no state yet."""
        snapshot = req.snapshot
        if snapshot.format != SNAPSHOT_FORMAT:
            return _offer(pb.OFFER_REJECT_FORMAT)
        if self.app.store.version != 0:
            return _offer(pb.OFFER_ABORT)
        try:
            hashes = chunk_hashes(snapshot.metadata)
        except SnapshotError:
            return _offer(pb.OFFER_REJECT)
        if len(hashes) != snapshot.chunks or snapshot.chunks == 0:
            return _offer(pb.OFFER_REJECT)
        self._restore = _Restore(snapshot=snapshot, app_hash=req.app_hash, hashes=hashes,
                                 chunks=[None] * snapshot.chunks)
        return _offer(pb.OFFER_ACCEPT)

    def process_apply_snapshot_chunk(self, req: pb.ApplySnapshotChunkRequest) -> pb.Response:
        """Check the chunk against its promised hash; after the last one, restore and verify the app hash."""
        restore = self._restore
        if restore is None or req.index >= len(restore.chunks):
            return _apply(pb.APPLY_ABORT)
        if hashlib.sha256(req.chunk).digest() != restore.hashes[req.index]:
            return _apply(pb.APPLY_RETRY, refetch=[req.index], reject=[req.sender] if req.sender else [])
        restore.chunks[req.index] = req.chunk
        if any(c is None for c in restore.chunks):
            return _apply(pb.APPLY_ACCEPT)
        self._restore = None
        try:
            payload = join_chunks([c for c in restore.chunks if c is not None])
            if hashlib.sha256(payload).digest() != restore.snapshot.hash:
                raise SnapshotError("snapshot payload hash mismatch")
            restore_store(self.app.store, decode_payload(payload), restore.app_hash)
        except SnapshotError as exc:
            log.error("snapshot at height %d rejected: %s", restore.snapshot.height, exc)
            return _apply(pb.APPLY_REJECT_SNAPSHOT)
        if self.make_app is not None:
            self.app = self.make_app(self.app.store)
            self.app.sig_cache.attach(VerifierProcess)
        log.info("state restored from snapshot at height %d", restore.snapshot.height)
        return _apply(pb.APPLY_ACCEPT)


def _offer(result: int) -> pb.Response:
    return pb.Response(offer_snapshot=pb.OfferSnapshotResponse(result=result))


def _apply(result: int, refetch: list[int] = (), reject: list[str] = ()) -> pb.Response:  # type: ignore[assignment]
    return pb.Response(apply_snapshot_chunk=pb.ApplySnapshotChunkResponse(
        result=result, refetch_chunks=list(refetch), reject_senders=list(reject)))


# ---- conversions --------------------------------------------------------------------------------------------------
def compute_time_ns(ts: pb.Time) -> int:
    """A protobuf Timestamp as unix nanoseconds."""
    return ts.seconds * 10**9 + ts.nanos


def encode_time(time_ns: int) -> pb.Time:
    seconds, nanos = divmod(time_ns, 10**9)
    return pb.Time(seconds=seconds, nanos=nanos)


def compute_consensus_params(params: pb.ConsensusParams) -> ConsensusParams:
    """CometBFT's genesis consensus params as the App's (block and evidence limits)."""
    block = BlockParams(max_bytes=params.block.max_bytes, max_gas=params.block.max_gas) \
        if params.HasField("block") else BlockParams()
    evidence = EvidenceParams()
    if params.HasField("evidence"):
        duration = params.evidence.max_age_duration
        evidence = EvidenceParams(max_age_num_blocks=params.evidence.max_age_num_blocks,
                                  max_age_duration_ns=duration.seconds * 10**9 + duration.nanos,
                                  max_bytes=params.evidence.max_bytes)
    return ConsensusParams(block=block, evidence=evidence)


def compute_genesis_doc(req: pb.InitChainRequest) -> GenesisDoc:
    """The App's genesis document from RequestInitChain (``app_state_bytes`` is genesis.json's app_state object)."""
    try:
        app_state = msgspec.json.decode(req.app_state_bytes or b"{}", type=dict[str, msgspec.Raw])
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ErrInvalidRequest(f"app_state is not a JSON object: {exc}") from None
    return GenesisDoc(chain_id=req.chain_id, genesis_time=format_time(compute_time_ns(req.time)),
                      initial_height=max(1, req.initial_height),
                      consensus_params=compute_consensus_params(req.consensus_params), app_state=app_state)


def compute_block_request(req: Any, commit: pb.CommitInfo) -> BlockRequest:
    """ProcessProposal / FinalizeBlock request as the App's BlockRequest."""
    votes = tuple(VoteInfo(address=v.validator.address, power=v.validator.power,
                           signed=v.block_id_flag == pb.BLOCK_ID_FLAG_COMMIT) for v in commit.votes)
    misbehavior = tuple(Misbehavior(kind=MISBEHAVIOR_KINDS.get(m.type, "unknown"), validator_address=m.validator.address,
                                    validator_power=m.validator.power, height=m.height,
                                    time_ns=compute_time_ns(m.time), total_voting_power=m.total_voting_power)
                        for m in req.misbehavior)
    return BlockRequest(height=req.height, time_ns=compute_time_ns(req.time), txs=tuple(req.txs),
                        proposer=req.proposer_address, last_commit=votes, misbehavior=misbehavior, hash=req.hash)


def add_events(target: Any, events: list[Event]) -> None:
    """Append app events to a repeated ABCI ``Event`` field: type ``module.Type``, every attribute indexed. Built in
    place with ``add`` (half the time of making each message and letting protobuf copy it in)."""
    add_event = target.add
    for event in events:
        add_attribute = add_event(type=f"{event.module}.{event.type}").attributes.add
        for attribute in event.attributes:
            add_attribute(key=attribute.key, value=attribute.value, index=True)


def fill_tx_result(out: pb.ExecTxResult, result: TxResult) -> None:
    """Write one tx's result into the (empty) ABCI ``ExecTxResult`` ``out``."""
    out.code, out.codespace, out.log, out.data = result.code, result.codespace, result.log, result.data
    out.gas_wanted, out.gas_used = result.gas_wanted, result.gas_used
    add_events(out.events, result.events)


def describe_validators(entries: list[tuple[bytes, int]]) -> str:
    return ", ".join(f"{key.hex()}={power}" for key, power in entries) or "none"


def check_genesis_validators(app_set: list[tuple[bytes, int]], requested: list[pb.ValidatorUpdate]) -> None:
    """The App's genesis set (ed25519 key, power) must equal genesis.json's, as a multiset; an empty genesis.json
    set means CometBFT adopts the App's. Raises :class:`ConsensusFailure` naming the differences."""
    if not requested:
        return
    wanted: list[tuple[bytes, int]] = []
    for update in requested:
        if update.pub_key.WhichOneof("sum") != "ed25519":
            raise ConsensusFailure(f"InitChain: genesis.json has a non-ed25519 validator key ({update.pub_key})")
        wanted.append((bytes(update.pub_key.ed25519), update.power))
    ours = sorted((bytes(k), p) for k, p in app_set)
    wanted.sort()
    if ours == wanted:
        return
    only_app = [v for v in ours if v not in wanted]
    only_genesis = [v for v in wanted if v not in ours]
    raise ConsensusFailure(
        "InitChain: the validator set of the App's staking genesis differs from genesis.json's validators "
        f"(CometBFT's); starting would halt or fork the network. Only in the staking genesis: "
        f"{describe_validators(only_app)}; only in genesis.json: {describe_validators(only_genesis)} "
        "(ed25519 public key hex = power). Regenerate the genesis (`surety testnet init`) so both list the same "
        "keys with the same powers.")


def encode_validator_update(pub_key: bytes, power: int) -> pb.ValidatorUpdate:
    return pb.ValidatorUpdate(pub_key=pb.PubKey(ed25519=pub_key), power=power)
