"""Crowdfunded appeals (Kleros style): anyone funds a side of the appeal of the current round; when two sides are
fully funded the next round opens, paid from the funding; once the dispute is final each round's contributions
are paid out (see README, Appeals)."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin
from suretychain.modules.court.events import AppealFundingPaid, AppealFunded
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import CourtParams
from suretychain.modules.court.types import BPS, COURT_ACCOUNT, AppealContribution, Dispute, Round


def compute_appeal_juror_count(juror_count: int) -> int:
    """The jury of the round after an appeal of a round of ``juror_count``: 2n + 1."""
    return 2 * juror_count + 1


def compute_next_fee(params: CourtParams, juror_count: int) -> int:
    """The next round's fee: ``appeal_fee`` per seat of its 2n + 1 seats."""
    return params.appeal_fee * compute_appeal_juror_count(juror_count)


def compute_side_cost(params: CourtParams, juror_count: int, is_ruling_side: bool) -> int:
    """What a side must raise: the next round's fee × (1 + its multiplier), rounded up (a charge). The side of the
    round's ruling has the smaller multiplier."""
    fee = compute_next_fee(params, juror_count)
    multiplier = params.winner_multiplier_bps if is_ruling_side else params.loser_multiplier_bps
    return fee + -(-fee * multiplier // BPS)


def get_funded(round_: Round, choice: int) -> int:
    return round_.funded[choice] if choice < len(round_.funded) else 0


def compute_appeal_pot(round_: Round, next_fee: int) -> int:
    """The fully funded sides' total less the next round's fee: what the winning side's funders share."""
    return sum(get_funded(round_, s) for s in round_.funded_sides) - next_fee


def add_contribution(keeper: CourtKeeper, ctx: Context, dispute: Dispute, choice: int, funder: Address, amount: int,
                     required: int) -> Dispute:
    """Take ``amount`` from ``funder`` for side ``choice`` and record it; the side may become fully funded."""
    index = len(dispute.rounds) - 1
    round_ = dispute.rounds[index]
    keeper.bank.send_coins_from_account_to_module(ctx, funder.raw, COURT_ACCOUNT,
                                                  [Coin(denom=keeper.get_params(ctx).denom, amount=amount)])
    given = keeper.get_contribution(ctx, dispute.id, index, choice, funder)
    keeper.set_contribution(ctx, AppealContribution(dispute_id=dispute.id, round=index, choice=choice, funder=funder,
                                                    amount=amount + (given.amount if given else 0)))
    funded = [get_funded(round_, c) for c in range(len(dispute.options))]
    funded[choice] += amount
    sides = [*round_.funded_sides, choice] if funded[choice] == required else round_.funded_sides
    ctx.emit(AppealFunded(dispute_id=dispute.id, round=index, choice=choice, funder=funder, amount=amount,
                          funded=funded[choice], required=required))
    updated = msgspec.structs.replace(round_, funded=funded, funded_sides=sides)
    return msgspec.structs.replace(dispute, rounds=[*dispute.rounds[:-1], updated])


def compute_funding_payout(round_: Round, item: AppealContribution, final_choice: int) -> int:
    """A contribution's payout once the dispute is final: back in full if its side was not fully funded or the
    funding did not open the next round; else the pot pro rata among the final ruling's side (nothing for the
    other funded sides), or among every funded side if the final ruling is none of them."""
    funded = round_.funded_sides
    if not round_.crowdfunded or item.choice not in funded:
        return item.amount
    if final_choice in funded:
        return round_.appeal_pot * item.amount // get_funded(round_, final_choice) if item.choice == final_choice else 0
    return round_.appeal_pot * item.amount // sum(get_funded(round_, s) for s in funded)


def get_round_funding_held(round_: Round) -> int:
    """What the court account holds for a round's appeal funding until the dispute is final."""
    unfunded = sum(round_.funded) - sum(get_funded(round_, s) for s in round_.funded_sides)
    return unfunded + round_.appeal_pot if round_.crowdfunded else sum(round_.funded)


def get_funding_held(dispute: Dispute) -> int:
    """Appeal funding held for a dispute (for the invariant): nothing once it is final."""
    return 0 if dispute.final else sum(get_round_funding_held(r) for r in dispute.rounds)


def pay_appeal_funding(keeper: CourtKeeper, ctx: Context, dispute: Dispute, final_choice: int) -> None:
    """The dispute is final: pay every round's contributions (rounded down; the rest to the community share)."""
    denom = keeper.get_params(ctx).denom
    for index, round_ in enumerate(dispute.rounds):
        if not any(round_.funded):
            continue
        paid = 0
        for item in keeper.get_round_contributions(ctx, dispute.id, index):
            payout = compute_funding_payout(round_, item, final_choice)
            if payout:
                keeper.bank.send_coins_from_module_to_account(ctx, COURT_ACCOUNT, item.funder.raw,
                                                              [Coin(denom=denom, amount=payout)])
            paid += payout
        rest = get_round_funding_held(round_) - paid
        keeper.add_community(ctx, dispute.court, rest)
        ctx.emit(AppealFundingPaid(dispute_id=dispute.id, round=index, paid=paid, to_community=rest))
