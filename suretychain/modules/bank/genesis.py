"""Bank genesis: validate, init, export."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.encoding import U64_MAX, Address
from suretychain.core.errors import ErrInvalidGenesis, require
from suretychain.core.tx import Coin
from suretychain.modules.bank.keeper import BankKeeper
from suretychain.modules.bank.send import compute_coins_sum, validate_coins
from suretychain.modules.bank.types import Balance, GenesisState, Params


def default_genesis() -> GenesisState:
    """No balances, sends enabled."""
    return GenesisState()


def validate_params(params: Params) -> None:
    """Every bank param value is valid (a bool); kept for the params protocol."""
    require(isinstance(params.send_enabled, bool), ErrInvalidGenesis, "send_enabled must be a bool")


def validate_genesis(state: GenesisState) -> None:
    """Each address once, valid coins, supply (if given) equal to the sum of balances, all within 64 bits."""
    validate_params(state.params)
    seen: set[bytes] = set()
    for i, balance in enumerate(state.balances):
        require(balance.address.raw not in seen, ErrInvalidGenesis, f"balances[{i}]: duplicate address {balance.address}")
        seen.add(balance.address.raw)
        validate_coins(balance.coins)
    total = compute_coins_sum([b.coins for b in state.balances])
    for denom, amount in total.items():
        require(amount <= U64_MAX, ErrInvalidGenesis, f"supply of {denom} exceeds 64 bits")
    if state.supply:
        validate_coins(state.supply)
        require(compute_coins_sum([state.supply]) == total, ErrInvalidGenesis,
                "supply does not equal the sum of balances")


def init_genesis(bank: BankKeeper, ctx: Context, state: GenesisState) -> None:
    """Write params, balances and the supply they add up to."""
    bank.set_params(ctx, state.params)
    for balance in state.balances:
        bank.add_coins(ctx, balance.address.raw, balance.coins)
    total = compute_coins_sum([b.coins for b in state.balances])
    for denom in sorted(total):
        bank.set_supply(ctx, denom, total[denom])


def export_genesis(bank: BankKeeper, ctx: Context) -> GenesisState:
    """Params, balances grouped by address (store order) and supply."""
    balances: list[Balance] = []
    current: bytes | None = None
    coins: list[Coin] = []
    for address, denom, amount in bank.iter_balances(ctx):
        if address != current and current is not None:
            balances.append(Balance(address=Address.from_raw(current), coins=coins))
            coins = []
        current = address
        coins.append(Coin(denom=denom, amount=amount))
    if current is not None:
        balances.append(Balance(address=Address.from_raw(current), coins=coins))
    return GenesisState(params=bank.get_params(ctx), balances=balances, supply=list(bank.iter_supply(ctx)))
