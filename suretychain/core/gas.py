"""Deterministic gas metering.

Gas is charged per byte of tx, per signature check, per store read, write, delete and iteration step, plus a base
cost each msg handler declares. The costs are constants of the protocol (like Cosmos SDK's ``KVGasConfig``), so the
same tx uses the same gas on every node.
"""
from __future__ import annotations

from suretychain.core.errors import ErrOutOfGas

# Store access costs (same shape and values as Cosmos SDK's KVGasConfig, which users' fee estimates know).
READ_COST_FLAT = 1000
READ_COST_PER_BYTE = 3
WRITE_COST_FLAT = 2000
WRITE_COST_PER_BYTE = 30
DELETE_COST = 1000
ITER_NEXT_COST_FLAT = 30
INFINITE = 2**63 - 1


class GasMeter:
    """Counts gas against a limit; going over raises the coded ``ErrOutOfGas``."""

    __slots__ = ("limit", "consumed")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.consumed = 0

    def consume(self, amount: int, descriptor: str) -> None:
        """Charge ``amount`` gas for ``descriptor``; raise ``ErrOutOfGas`` past the limit."""
        self.consumed += amount
        if self.consumed > self.limit:
            raise ErrOutOfGas(f"{descriptor}: limit {self.limit}, used {self.consumed}")

    @property
    def remaining(self) -> int:
        """Gas left before the limit."""
        return max(0, self.limit - self.consumed)


def infinite_meter() -> GasMeter:
    """A meter for block hooks and genesis, which are not paid for by any tx."""
    return GasMeter(INFINITE)
