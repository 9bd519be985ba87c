"""What every module keeper shares: its own prefix of the state and its params record at key ``0x00``."""
from __future__ import annotations

from typing import Any, ClassVar

from suretychain.core.context import Context
from suretychain.core.encoding import decode_record, encode
from suretychain.core.kv import PrefixKV

PARAMS_KEY = b"\x00"


class ModuleKeeper:
    """Base of module keepers: ``STORE_PREFIX`` names the module's part of the state, ``PARAMS_TYPE`` its params."""

    STORE_PREFIX: ClassVar[bytes]
    PARAMS_TYPE: ClassVar[type]

    def _kv(self, ctx: Context) -> PrefixKV:
        """The gas-metered view of this module's prefix (the only state it may touch)."""
        return ctx.store(self.STORE_PREFIX)

    def get_params(self, ctx: Context) -> Any:
        """The module's params (the defaults until genesis writes them)."""
        raw = self._kv(ctx).get(PARAMS_KEY)
        return decode_record(raw, self.PARAMS_TYPE) if raw else self.PARAMS_TYPE()

    def set_params(self, ctx: Context, params: Any) -> None:
        self._kv(ctx).set(PARAMS_KEY, encode(params))
