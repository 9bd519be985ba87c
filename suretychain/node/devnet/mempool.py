"""The devnet mempool: txs admitted by CheckTx against the pending check state, in arrival order.

Arrival order keeps each sender's sequences in order (a client may send sequence n, n+1, ... before a block).
After every commit the node calls :meth:`recheck`: committed txs leave and every remaining tx is checked again in
order on the fresh check state the commit left (the App re-admits without running each one the block changed
nothing for); those that became invalid are dropped.
"""
from __future__ import annotations

from collections import OrderedDict

from suretychain.core.app import App, TxResult
from suretychain.core.errors import ErrMempoolFull, ErrTxInMempool
from suretychain.core.tx import compute_tx_hash

MAX_TXS = 10_000
MAX_BYTES = 64 * 1024 * 1024


class Mempool:
    """Pending txs by hash, in arrival order."""

    def __init__(self, app: App, max_txs: int = MAX_TXS, max_bytes: int = MAX_BYTES) -> None:
        self.app = app
        self.max_txs = max_txs
        self.max_bytes = max_bytes
        self.txs: OrderedDict[bytes, bytes] = OrderedDict()
        self.size_bytes = 0

    def __len__(self) -> int:
        return len(self.txs)

    def add(self, tx: bytes) -> tuple[bytes, TxResult]:
        """CheckTx and admit; returns the tx hash and the check result (admitted only if code 0)."""
        tx_hash = compute_tx_hash(tx)
        if tx_hash in self.txs:
            err = ErrTxInMempool(tx_hash.hex())
            return tx_hash, TxResult(code=err.code, codespace=err.codespace, log=err.log)
        if len(self.txs) >= self.max_txs or self.size_bytes + len(tx) > self.max_bytes:
            err = ErrMempoolFull(f"{len(self.txs)} txs")
            return tx_hash, TxResult(code=err.code, codespace=err.codespace, log=err.log)
        result = self.app.check_tx(tx, with_events=False)  # the block's result carries the events
        if result.code == 0:
            self.txs[tx_hash] = tx
            self.size_bytes += len(tx)
        return tx_hash, result

    def receive(self, txs: list[bytes]) -> None:
        """Txs have arrived (while a block is being made, say): their signatures start being checked on the other
        core at once, so that CheckTx, when it gets to them, finds them done."""
        self.app.prefetch_signatures(txs)

    def add_many(self, txs: list[bytes]) -> list[tuple[bytes, TxResult]]:
        """Admit a batch: signatures go to the other core first, then each tx goes through CheckTx in order."""
        self.receive(txs)
        return [self.add(tx) for tx in txs]

    def reap(self) -> list[bytes]:
        """Every pending tx in arrival order (the App's prepare_proposal picks what fits)."""
        return list(self.txs.values())

    def recheck(self, committed: list[bytes]) -> None:
        """Drop committed txs and re-check the rest against the new state, in order."""
        for tx_hash in committed:
            tx = self.txs.pop(tx_hash, None)
            if tx is not None:
                self.size_bytes -= len(tx)
        for tx_hash, tx in list(self.txs.items()):  # on the fresh check state App.commit left

            if self.app.check_tx(tx, recheck=True).code != 0:
                del self.txs[tx_hash]
                self.size_bytes -= len(tx)
