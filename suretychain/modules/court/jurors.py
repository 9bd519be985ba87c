"""Juror stakes: stake, unstake (with a withdrawal delay), affiliations, locks and penalties."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.encoding import Address
from suretychain.core.errors import require
from suretychain.core.tx import Coin
from suretychain.modules.court.errors import (
    ErrBelowMinStake,
    ErrCourtNotFound,
    ErrInsufficientStake,
    ErrStakeLocked,
    ErrZeroAmount,
)
from suretychain.modules.court.events import JurorStaked, JurorUnstaked, WithdrawalPaid
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.sumtree import add_juror_weight
from suretychain.modules.court.types import (
    COURT_ACCOUNT,
    MsgDeclareAffiliation,
    MsgStakeJuror,
    MsgUnstakeJuror,
    Withdrawal,
)


def get_subtree(keeper: CourtKeeper, ctx: Context, court_id: int) -> list[int]:
    """``court_id`` and every descendant, ascending: a stake in any of them counts for ``court_id``."""
    children: dict[int, list[int]] = {}
    for court in keeper.iter_courts(ctx):
        children.setdefault(court.parent, []).append(court.id)
    found, todo = [], [court_id]
    while todo:
        node = todo.pop()
        found.append(node)
        todo.extend(children.get(node, []))
    return sorted(found)


def get_ancestors(keeper: CourtKeeper, ctx: Context, court_id: int) -> list[int]:
    """``court_id``, its parent, ... up to the root: the courts a direct stake in ``court_id`` counts for."""
    found = []
    while court_id:
        found.append(court_id)
        court = keeper.get_court(ctx, court_id)
        court_id = court.parent if court is not None else 0
    return found


def add_subtree_stake(keeper: CourtKeeper, ctx: Context, court_id: int, juror: bytes, delta: int) -> None:
    """A direct stake in ``court_id`` changed by ``delta``: update the sum tree of the court and of each ancestor."""
    for court in get_ancestors(keeper, ctx, court_id):
        add_juror_weight(keeper, ctx, court, juror, delta)


def is_valid_direct_stake(amount: int, min_stake: int) -> bool:
    """A direct stake is either empty or at least the court's minimum."""
    return amount == 0 or amount >= min_stake


def process_stake_juror(keeper: CourtKeeper, ctx: Context, msg: MsgStakeJuror) -> None:
    court = keeper.get_court(ctx, msg.court)
    require(court is not None, ErrCourtNotFound, str(msg.court))
    require(msg.amount > 0, ErrZeroAmount)
    new_amount = keeper.get_stake(ctx, msg.juror, msg.court) + msg.amount
    # A stake must reach the court's minimum
    require(new_amount >= court.params.min_stake, ErrBelowMinStake, f"{new_amount} < {court.params.min_stake}")
    denom = keeper.get_params(ctx).denom
    keeper.bank.send_coins_from_account_to_module(ctx, msg.juror.raw, COURT_ACCOUNT, [Coin(denom=denom, amount=msg.amount)])
    keeper.set_stake(ctx, msg.juror, msg.court, new_amount)
    add_subtree_stake(keeper, ctx, msg.court, msg.juror.raw, msg.amount)
    juror = keeper.get_juror(ctx, msg.juror)
    keeper.set_juror(ctx, msgspec.structs.replace(juror, staked=juror.staked + msg.amount))
    ctx.emit(JurorStaked(juror=msg.juror, court=msg.court, amount=msg.amount))


def process_unstake_juror(keeper: CourtKeeper, ctx: Context, msg: MsgUnstakeJuror) -> None:
    court = keeper.get_court(ctx, msg.court)
    require(court is not None, ErrCourtNotFound, str(msg.court))
    require(msg.amount > 0, ErrZeroAmount)
    current = keeper.get_stake(ctx, msg.juror, msg.court)
    require(msg.amount <= current, ErrInsufficientStake, f"{msg.amount} > {current}")
    # What stays must still reach the minimum (or be nothing)
    require(is_valid_direct_stake(current - msg.amount, court.params.min_stake), ErrBelowMinStake,
            "the remaining stake would be below the minimum")
    juror = keeper.get_juror(ctx, msg.juror)
    # Stake locked in open disputes cannot leave
    require(msg.amount <= juror.staked - juror.locked, ErrStakeLocked, f"free {juror.staked - juror.locked}")
    counters = keeper.get_counters(ctx)
    release = ctx.block.time_ns + keeper.get_params(ctx).withdrawal_delay_ns
    keeper.set_withdrawal(ctx, Withdrawal(id=counters.next_withdrawal_id, juror=msg.juror, amount=msg.amount,
                                          release_ns=release))
    keeper.set_counters(ctx, msgspec.structs.replace(counters, next_withdrawal_id=counters.next_withdrawal_id + 1))
    keeper.set_stake(ctx, msg.juror, msg.court, current - msg.amount)
    add_subtree_stake(keeper, ctx, msg.court, msg.juror.raw, -msg.amount)
    keeper.set_juror(ctx, msgspec.structs.replace(juror, staked=juror.staked - msg.amount))
    ctx.emit(JurorUnstaked(juror=msg.juror, court=msg.court, amount=msg.amount, release_ns=release))


def process_declare_affiliation(keeper: CourtKeeper, ctx: Context, msg: MsgDeclareAffiliation) -> None:
    juror = keeper.get_juror(ctx, msg.juror)
    keeper.set_juror(ctx, msgspec.structs.replace(juror, affiliations=sorted(set(msg.affiliations))))


def process_due_withdrawals(keeper: CourtKeeper, ctx: Context) -> None:
    """Pay every withdrawal whose delay is over, oldest release first."""
    denom = keeper.get_params(ctx).denom
    for withdrawal in keeper.get_due_withdrawals(ctx, ctx.block.time_ns):
        keeper.delete_withdrawal(ctx, withdrawal)
        keeper.bank.send_coins_from_module_to_account(ctx, COURT_ACCOUNT, withdrawal.juror.raw,
                                                      [Coin(denom=denom, amount=withdrawal.amount)])
        ctx.emit(WithdrawalPaid(juror=withdrawal.juror, amount=withdrawal.amount))


def lock_stake(keeper: CourtKeeper, ctx: Context, address: Address, amount: int) -> None:
    juror = keeper.get_juror(ctx, address)
    keeper.set_juror(ctx, msgspec.structs.replace(juror, locked=juror.locked + amount))


def unlock_stake(keeper: CourtKeeper, ctx: Context, address: Address, amount: int) -> None:
    juror = keeper.get_juror(ctx, address)
    keeper.set_juror(ctx, msgspec.structs.replace(juror, locked=juror.locked - amount))


def forfeit_locked_stake(keeper: CourtKeeper, ctx: Context, address: Address, amount: int, court_id: int) -> None:
    """Take ``amount`` of locked stake: from the direct stakes in the dispute court's subtree first, then from the
    juror's other courts, each in court id order (the tokens stay in the court account, as the round's pot)."""
    juror = keeper.get_juror(ctx, address)
    keeper.set_juror(ctx, msgspec.structs.replace(juror, locked=juror.locked - amount, staked=juror.staked - amount))
    subtree = set(get_subtree(keeper, ctx, court_id))
    stakes = keeper.iter_juror_stakes(ctx, address)
    ordered = [s for s in stakes if s.court in subtree] + [s for s in stakes if s.court not in subtree]
    left = amount
    for stake in ordered:
        take = min(left, stake.amount)
        if take:
            keeper.set_stake(ctx, address, stake.court, stake.amount - take)
            add_subtree_stake(keeper, ctx, stake.court, address.raw, -take)
        left -= take
        if left == 0:
            break
