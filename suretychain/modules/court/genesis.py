"""Court genesis: the default court tree, validate, init, export."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import SuretyError, require
from suretychain.modules.court.errors import ErrInvalidGenesis
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import CourtParams, validate_court_params, validate_params
from suretychain.modules.court.types import Court, GenesisState

GENERAL, SOFTWARE_SECURITY = 1, 2
LEAF_COURTS = ("python", "javascript", "rust", "solidity", "validators", "services")


def default_courts() -> list[Court]:
    """general (1) → software security (2) → python, javascript, rust, solidity, validators, services (3..8)."""
    courts = [Court(id=GENERAL, parent=0, name="general", params=CourtParams()),
              Court(id=SOFTWARE_SECURITY, parent=GENERAL, name="software security", params=CourtParams())]
    courts += [Court(id=3 + i, parent=SOFTWARE_SECURITY, name=name, params=CourtParams())
               for i, name in enumerate(LEAF_COURTS)]
    return courts


def default_genesis() -> GenesisState:
    return GenesisState(courts=default_courts())


def validate_genesis(state: GenesisState) -> None:
    """Params valid; courts form a tree rooted at id 1 with parents listed first; stakes sum to the jurors."""
    try:
        validate_params(state.params)
        for court in state.courts:
            validate_court_params(court.params)
    except SuretyError as exc:
        raise ErrInvalidGenesis(exc.log) from None
    seen: set[int] = set()
    for court in state.courts:
        require(court.id not in seen and court.id >= 1, ErrInvalidGenesis, f"court id {court.id}")
        require(court.parent in seen or (court.parent == 0 and court.id == GENERAL), ErrInvalidGenesis,
                f"court {court.id}: parent {court.parent} must come first")
        seen.add(court.id)
    totals: dict[bytes, int] = {}
    for stake in state.stakes:
        require(stake.court in seen, ErrInvalidGenesis, f"stake in unknown court {stake.court}")
        totals[stake.juror.raw] = totals.get(stake.juror.raw, 0) + stake.amount
    listed = {juror.juror.raw for juror in state.jurors}
    require(set(totals) <= listed, ErrInvalidGenesis, "a stake without its juror record")
    for juror in state.jurors:
        require(totals.get(juror.juror.raw, 0) == juror.staked, ErrInvalidGenesis, f"juror {juror.juror} stakes")
        require(juror.locked <= juror.staked, ErrInvalidGenesis, f"juror {juror.juror} locks more than it stakes")


def init_genesis(keeper: CourtKeeper, ctx: Context, state: GenesisState) -> None:
    keeper.set_params(ctx, state.params)
    keeper.set_counters(ctx, state.counters)
    for court in state.courts:
        keeper.set_court(ctx, court)
    for stake in state.stakes:
        keeper.set_stake(ctx, stake.juror, stake.court, stake.amount)
    for juror in state.jurors:
        keeper.set_juror(ctx, juror)
    for withdrawal in state.withdrawals:
        keeper.set_withdrawal(ctx, withdrawal)
    for dispute in state.disputes:
        keeper.set_dispute(ctx, dispute)
    for share in state.community:
        keeper.add_community(ctx, share.court, share.amount)


def export_genesis(keeper: CourtKeeper, ctx: Context) -> GenesisState:
    """Everything, in store order."""
    return GenesisState(params=keeper.get_params(ctx), courts=list(keeper.iter_courts(ctx)),
                        counters=keeper.get_counters(ctx), stakes=list(keeper.iter_stakes(ctx)),
                        jurors=list(keeper.iter_jurors(ctx)), withdrawals=list(keeper.iter_withdrawals(ctx)),
                        disputes=list(keeper.iter_disputes(ctx)), community=list(keeper.iter_community(ctx)))
