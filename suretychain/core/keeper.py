"""What every module keeper shares: its own prefix of the state and its params record at key ``0x00``."""
from __future__ import annotations

from typing import Any, ClassVar

from suretychain.core.context import Context
from suretychain.core.encoding import decode_record, encode
from suretychain.core.kv import ModuleKV

PARAMS_KEY = b"\x00"


class ModuleKeeper:
    """Base of module keepers: ``STORE_PREFIX`` names the module's part of the state, ``PARAMS_TYPE`` its params."""

    STORE_PREFIX: ClassVar[bytes]
    PARAMS_TYPE: ClassVar[type]

    def _kv(self, ctx: Context) -> ModuleKV:
        """The gas-metered view of this module's prefix (the only state it may touch)."""
        return ctx.store(self.STORE_PREFIX)

    def _transient(self, ctx: Context) -> ModuleKV:
        """The gas-metered view of this module's transient prefix (dropped at the end of each block)."""
        return ctx.transient_store(self.STORE_PREFIX)

    _params_memo: tuple[bytes, Any] = (b"", None)

    def get_params(self, ctx: Context) -> Any:
        """The module's params (the defaults until genesis writes them). The read is charged as always; the decoded
        record is reused while the stored bytes stay the same (records are frozen, so sharing one is safe)."""
        raw = self._kv(ctx).get(PARAMS_KEY)
        if not raw:
            return self.PARAMS_TYPE()
        memo_raw, memo = self._params_memo
        if raw != memo_raw:
            memo = decode_record(raw, self.PARAMS_TYPE)
            self._params_memo = (raw, memo)
        return memo

    def set_params(self, ctx: Context, params: Any) -> None:
        self._kv(ctx).set(PARAMS_KEY, encode(params))
