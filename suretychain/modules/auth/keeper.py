"""Auth keeper: accounts and params."""
from __future__ import annotations

from typing import Iterator

from suretychain.core.context import Context
from suretychain.core.encoding import Address, decode_record, encode
from suretychain.modules.auth import keys
from suretychain.modules.auth.types import Account, Params


class AuthKeeper:
    """Typed access to the auth prefix."""

    def _kv(self, ctx: Context):  # noqa: ANN202
        return ctx.store(keys.STORE_PREFIX)

    def get_params(self, ctx: Context) -> Params:
        raw = self._kv(ctx).get(keys.PARAMS_KEY)
        return decode_record(raw, Params) if raw else Params()

    def set_params(self, ctx: Context, params: Params) -> None:
        self._kv(ctx).set(keys.PARAMS_KEY, encode(params))

    def get_account(self, ctx: Context, address: Address) -> Account:
        """The account at ``address``; an address that never sent a tx has sequence 0 and no key."""
        raw = self._kv(ctx).get(keys.account_key(address.raw))
        return decode_record(raw, Account) if raw else Account(address=address)

    def has_account(self, ctx: Context, address: Address) -> bool:
        return self._kv(ctx).get(keys.account_key(address.raw)) is not None

    def set_account(self, ctx: Context, account: Account) -> None:
        self._kv(ctx).set(keys.account_key(account.address.raw), encode(account))

    def iter_accounts(self, ctx: Context) -> Iterator[Account]:
        """Every stored account in address-byte order."""
        for _, raw in self._kv(ctx).iterate_prefix(keys.ACCOUNT_PREFIX):
            yield decode_record(raw, Account)
