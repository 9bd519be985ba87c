"""Auth keeper: accounts and params."""
from __future__ import annotations

from typing import Iterator

from suretychain.core.context import Context
from suretychain.core.encoding import Address, decode_record, encode
from suretychain.core.keeper import ModuleKeeper
from suretychain.modules.auth import keys
from suretychain.modules.auth.types import Account, Params


class AuthKeeper(ModuleKeeper):
    """Typed access to the auth prefix."""

    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

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
