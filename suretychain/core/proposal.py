"""What goes into a block: proposal entries, the proposer's choice of txs, and the checks every validator makes.

**Proposal entries.** Modules may add data the proposer alone can produce (the beacon's VRF proof) through
``Module.propose`` / ``Module.verify_proposal``. ``App.prepare_proposal`` puts them all in one extra *first* tx, a
:class:`BlockEntries` (msgpack map with the single key ``block_entries``), which can never decode as a ``Tx``;
``App.process_proposal`` rejects the block unless every module accepts its entry (or its absence) and no other tx
is an entries tx; ``App.finalize_block`` strips it (:func:`split_entries`), hands the entries to the modules as
``BlockInfo.entries`` and runs the real txs. ``FinalizeResult.tx_results`` has one result per *real* tx; its
``entry_txs`` (0 or 1) says how many leading txs of the block were entries, so the ABCI layer can answer CometBFT
with one (empty, code 0) result per tx.

**Choosing txs.** The proposer takes the mempool's txs in order, dropping those whose ante step fails on the block's
start state, within the byte and gas limits (:func:`select_txs`). When the txs are exactly what CheckTx admitted
since the last commit, in admission order, or the first of them (:func:`count_fitting_admitted`), CheckTx has
already run each of them (ante step and msgs) on that very state in that order, so they are taken as they are, as
many as fit.
"""
from __future__ import annotations

from typing import Callable, Iterable

from suretychain.core.context import Context
from suretychain.core.encoding import Decoder, Record, encode
from suretychain.core.errors import SuretyError
from suretychain.core.module import Module
from suretychain.core.tx import compute_tx_hash

ENTRY_TX_OVERHEAD = 16  # bytes reserved beside the entries tx for consensus's per-tx framing in max_tx_bytes


class BlockEntries(Record):
    """The first tx of a block whose proposer added module entries: ``{"block_entries": {module: entry}}``.
    It never decodes as a ``Tx`` (which needs ``body`` and ``signature`` and rejects unknown fields)."""

    block_entries: dict[str, bytes]


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


def split_entries(txs: tuple[bytes, ...]) -> tuple[tuple[tuple[str, bytes], ...], tuple[bytes, ...], int]:
    """``(entries, real txs, number of entries txs)``: the first tx is the entries tx if it decodes as one."""
    found = decode_block_entries(txs[0]) if txs else None
    if found is None:
        return (), txs, 0
    return tuple(sorted(found.block_entries.items())), txs[1:], 1


def compute_entries_tx(proposing: list[Module], ctx: Context) -> bytes:
    """This node's entries for ``ctx.block`` as one :class:`BlockEntries` tx (empty bytes if no module has one)."""
    entries = {}
    for module in proposing:
        entry = module.propose(ctx) if module.propose is not None else None
        if entry is not None:
            entries[module.name] = entry
    return encode(BlockEntries(block_entries=entries)) if entries else b""


def is_valid_entries(proposing: list[Module], ctx: Context, entries_txs: int) -> bool:
    """Every proposing module accepts its entry of ``ctx.block`` (or its absence); no entry for a module that takes
    none; an entries tx is never empty."""
    block = ctx.block
    if entries_txs and not block.entries:
        return False
    names = {m.name for m in proposing}
    if any(name not in names for name, _ in block.entries):
        return False
    return all(m.verify_proposal(ctx, block.entry(m.name)) for m in proposing)  # type: ignore[misc]


def count_fitting_admitted(txs: list[bytes], admitted: list[bytes], max_tx_bytes: int, max_gas: int,
                           gas_limit_of: Callable[[bytes], int]) -> int | None:
    """None unless ``txs`` are the first txs CheckTx ``admitted`` since the last commit, in that order (CometBFT
    reaps a prefix of its mempool, which holds them in the order this node checked them); then how many of them,
    from the first, fit the block's bytes and gas (the rest wait: each may depend on the ones before it)."""
    if txs != admitted[:len(txs)]:
        return None
    total_bytes = total_gas = 0
    for count, tx in enumerate(txs):
        total_bytes += len(tx)
        if max_gas >= 0:
            total_gas += gas_limit_of(tx)
        if total_bytes > max_tx_bytes or (max_gas >= 0 and total_gas > max_gas):
            return count
    return len(txs)


def select_txs(txs: Iterable[bytes], max_tx_bytes: int, max_gas: int,
               check: Callable[[bytes], tuple[int, int]]) -> list[bytes]:
    """The txs, in order, whose ``check`` (ante step on the block's start state: ``(code, gas_wanted)``) passes, as
    long as they fit ``max_tx_bytes`` and ``max_gas`` (negative: no gas limit)."""
    chosen: list[bytes] = []
    total_bytes = total_gas = 0
    for tx_bytes in txs:
        if total_bytes + len(tx_bytes) > max_tx_bytes:
            continue
        code, gas_wanted = check(tx_bytes)
        if code != 0 or (max_gas >= 0 and total_gas + gas_wanted > max_gas):
            continue
        chosen.append(tx_bytes)
        total_bytes += len(tx_bytes)
        total_gas += gas_wanted
    return chosen


def is_within_limits(entries: tuple[bytes, ...], txs: tuple[bytes, ...], max_bytes: int, max_gas: int,
                     gas_limit_of: Callable[[bytes], int]) -> bool:
    """Every real tx decodes as a tx (``gas_limit_of`` raises a coded error otherwise) and the block fits its byte
    and gas limits."""
    total_bytes = sum(len(tx) for tx in entries)
    total_gas = 0
    for tx_bytes in txs:
        try:
            total_gas += gas_limit_of(tx_bytes)
        except SuretyError:
            return False
        total_bytes += len(tx_bytes)
    return total_bytes <= max_bytes and (max_gas < 0 or total_gas <= max_gas)
