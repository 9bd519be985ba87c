"""Bank keeper: typed access to the bank prefix, and the coin-moving mutators other modules call."""
from __future__ import annotations

from typing import Iterator

import msgspec

from suretychain.core.context import Context
from suretychain.core.crypto import module_address
from suretychain.core.encoding import U64_MAX, Address, decode_record, encode
from suretychain.core.errors import ErrInsufficientFunds, require
from suretychain.core.keeper import ModuleKeeper
from suretychain.core.tx import Coin
from suretychain.modules.bank import keys
from suretychain.modules.bank.types import (
    CoinsBurned,
    CoinsMinted,
    ErrModulePermission,
    ErrSupplyOverflow,
    ErrUnknownModuleAccount,
    Params,
    Transfer,
)

MINTER = "minter"
BURNER = "burner"


_CREDIT = msgspec.msgpack.Decoder(list[tuple[str, int]])  # a deferred credit's value


class BankKeeper(ModuleKeeper):
    """Balances and supply. ``module_accounts`` maps each module account name to its permissions."""

    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, module_accounts: dict[str, frozenset[str]]) -> None:
        self.module_accounts = dict(sorted(module_accounts.items()))
        self.module_addresses = {module_address(name): name for name in self.module_accounts}

    # ---- accessors ----------------------------------------------------------------------------------------------
    def get_balance(self, ctx: Context, address: bytes, denom: str) -> int:
        """The balance of ``address`` in ``denom`` (0 if none)."""
        raw = self._kv(ctx).get(keys.balance_key(address, denom))
        return decode_record(raw, int) if raw else 0

    def set_balance(self, ctx: Context, address: bytes, denom: str, amount: int) -> None:
        """Write a balance; zero balances are deleted, so the state holds no empty entries."""
        key = keys.balance_key(address, denom)
        if amount == 0:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, encode(amount))

    def get_all_balances(self, ctx: Context, address: bytes) -> list[Coin]:
        """Every non-zero balance of ``address``, by denom."""
        out = []
        for key, raw in self._kv(ctx).iterate_prefix(keys.balances_prefix(address)):
            out.append(Coin(denom=keys.split_balance_key(key)[1], amount=decode_record(raw, int)))
        return out

    def iter_balances(self, ctx: Context) -> Iterator[tuple[bytes, str, int]]:
        """Every balance in store order: ``(address, denom, amount)``."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.BALANCE_PREFIX):
            address, denom = keys.split_balance_key(key)
            yield address, denom, decode_record(raw, int)

    def get_supply(self, ctx: Context, denom: str) -> int:
        """Total supply of ``denom``."""
        raw = self._kv(ctx).get(keys.supply_key(denom))
        return decode_record(raw, int) if raw else 0

    def set_supply(self, ctx: Context, denom: str, amount: int) -> None:
        key = keys.supply_key(denom)
        if amount == 0:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, encode(amount))

    def iter_supply(self, ctx: Context) -> Iterator[Coin]:
        """The supply of every denom, by denom."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.SUPPLY_PREFIX):
            yield Coin(denom=key[1:].decode(), amount=decode_record(raw, int))

    # ---- mutators -----------------------------------------------------------------------------------------------
    def subtract_coins(self, ctx: Context, address: bytes, coins: list[Coin]) -> None:
        """Take ``coins`` from ``address``; ``ErrInsufficientFunds`` if any balance is short."""
        for coin in coins:
            balance = self.get_balance(ctx, address, coin.denom)
            require(balance >= coin.amount, ErrInsufficientFunds,
                    lambda: f"{Address.from_raw(address)} has {balance}{coin.denom}, needs {coin.amount}{coin.denom}")
            self.set_balance(ctx, address, coin.denom, balance - coin.amount)

    def add_coins(self, ctx: Context, address: bytes, coins: list[Coin]) -> None:
        """Give ``coins`` to ``address`` (cannot overflow: a balance never exceeds the supply, itself bounded)."""
        for coin in coins:
            self.set_balance(ctx, address, coin.denom, self.get_balance(ctx, address, coin.denom) + coin.amount)

    def send_coins(self, ctx: Context, sender: bytes, recipient: bytes, coins: list[Coin]) -> None:
        """Move ``coins`` from ``sender`` to ``recipient`` and emit ``Transfer``."""
        self.subtract_coins(ctx, sender, coins)
        self.add_coins(ctx, recipient, coins)
        ctx.emit(Transfer(sender=Address.from_raw(sender), recipient=Address.from_raw(recipient), amount=coins))

    def module_account(self, name: str) -> bytes:
        """The address of a registered module account (no key controls it)."""
        address = module_address(name)
        require(address in self.module_addresses, ErrUnknownModuleAccount, name)
        return address

    def is_module_account(self, address: bytes) -> bool:
        """True if ``address`` belongs to a module account."""
        return address in self.module_addresses

    def send_coins_from_account_to_module(self, ctx: Context, sender: bytes, module: str, coins: list[Coin]) -> None:
        """Escrow: an account pays a module account."""
        self.send_coins(ctx, sender, self.module_account(module), coins)

    def send_coins_from_account_to_module_deferred(self, ctx: Context, sender: bytes, module: str, coins: list[Coin],
                                                   tag: bytes) -> None:
        """Escrow whose credit waits for the end of the block: the sender pays now (and the ``Transfer`` is emitted
        now), the module account is credited at the block's end (``deferred.process_deferred_credits``). ``tag``
        names the payment and must never repeat for one sender (the ante step uses the tx's sequence): the credit
        is written without being read, so txs paying the same module account this way depend neither on each other
        nor on what a block start did to its balance."""
        recipient = self.module_account(module)
        self.subtract_coins(ctx, sender, coins)
        self._transient(ctx).set(keys.deferred_credit_key(recipient, sender + tag),
                                 encode([(coin.denom, coin.amount) for coin in coins]))
        ctx.emit(Transfer(sender=Address.from_raw(sender), recipient=Address.from_raw(recipient), amount=coins))

    def get_deferred_credits(self, ctx: Context) -> list[tuple[bytes, list[tuple[str, int]]]]:
        """Every deferred credit of the block so far, in key order: ``(recipient, [(denom, amount), ...])`` (written
        only by this keeper, from valid coins; left as pairs, since the end-block step only sums them)."""
        decode, split = _CREDIT.decode, keys.split_deferred_credit_key
        return [(split(key), decode(raw)) for key, raw in self._transient(ctx).iterate_prefix(keys.DEFERRED_PREFIX)]

    def send_coins_from_module_to_account(self, ctx: Context, module: str, recipient: bytes, coins: list[Coin]) -> None:
        """Release: a module account pays an account."""
        self.send_coins(ctx, self.module_account(module), recipient, coins)

    def send_coins_from_module_to_module(self, ctx: Context, sender: str, recipient: str, coins: list[Coin]) -> None:
        """Move coins between two module accounts."""
        self.send_coins(ctx, self.module_account(sender), self.module_account(recipient), coins)

    def mint_coins(self, ctx: Context, module: str, coins: list[Coin]) -> None:
        """Create ``coins`` into a module account that has the minter permission."""
        require(MINTER in self.module_accounts.get(module, ()), ErrModulePermission, f"{module} cannot mint")
        for coin in coins:
            supply = self.get_supply(ctx, coin.denom) + coin.amount
            require(supply <= U64_MAX, ErrSupplyOverflow, coin.denom)
            self.set_supply(ctx, coin.denom, supply)
        self.add_coins(ctx, self.module_account(module), coins)
        ctx.emit(CoinsMinted(minter=Address.from_raw(self.module_account(module)), amount=coins))

    def burn_coins(self, ctx: Context, module: str, coins: list[Coin]) -> None:
        """Destroy ``coins`` held by a module account that has the burner permission."""
        require(BURNER in self.module_accounts.get(module, ()), ErrModulePermission, f"{module} cannot burn")
        self.subtract_coins(ctx, self.module_account(module), coins)
        for coin in coins:
            self.set_supply(ctx, coin.denom, self.get_supply(ctx, coin.denom) - coin.amount)
        ctx.emit(CoinsBurned(burner=Address.from_raw(self.module_account(module)), amount=coins))

