"""Staking genesis: validate, init (state, then validators created from funded operators), export."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.errors import ErrInvalidGenesis, require
from suretychain.core.module import ValidatorUpdate
from suretychain.modules.staking import keys
from suretychain.modules.staking.keeper import StakingKeeper, compute_consensus_address
from suretychain.modules.staking.types import GenesisState, MsgCreateValidator, Params
from suretychain.modules.staking.delegation import delegate
from suretychain.modules.staking.validators import process_create_validator
from suretychain.modules.staking.valset import process_validator_set_updates


def default_genesis() -> GenesisState:
    return GenesisState()


def validate_params(params: Params) -> None:
    require(Dec.ZERO <= params.min_commission_rate <= Dec.ONE, ErrInvalidGenesis, "min_commission_rate outside [0, 1]")


def validate_genesis(state: GenesisState) -> None:
    """Params valid; validators unique by operator and consensus key; every record refers to a known validator."""
    validate_params(state.params)
    operators: set[bytes] = set()
    cons: set[bytes] = set()
    for i, v in enumerate(state.validators):
        require(v.operator.raw not in operators, ErrInvalidGenesis, f"validators[{i}]: duplicate operator")
        require(compute_consensus_address(v.consensus_pubkey) not in cons, ErrInvalidGenesis,
                f"validators[{i}]: duplicate consensus key")
        operators.add(v.operator.raw)
        cons.add(compute_consensus_address(v.consensus_pubkey))
    for i, g in enumerate(state.genesis_validators):
        require(g.operator.raw not in operators, ErrInvalidGenesis, f"genesis_validators[{i}]: duplicate operator")
        require(compute_consensus_address(g.consensus_pubkey) not in cons, ErrInvalidGenesis,
                f"genesis_validators[{i}]: duplicate consensus key")
        operators.add(g.operator.raw)
        cons.add(compute_consensus_address(g.consensus_pubkey))
    for i, d in enumerate(state.delegations):
        require(d.validator.raw in operators, ErrInvalidGenesis, f"delegations[{i}]: unknown validator")
    for i, gd in enumerate(state.genesis_delegations):
        require(gd.validator.raw in operators, ErrInvalidGenesis, f"genesis_delegations[{i}]: unknown validator")
        require(gd.amount > 0, ErrInvalidGenesis, f"genesis_delegations[{i}]: amount must be positive")


def init_genesis(staking: StakingKeeper, ctx: Context, state: GenesisState) -> list[ValidatorUpdate]:
    """Load the state; create the genesis validators; return the initial consensus set."""
    staking.set_params(ctx, state.params)
    for validator in state.validators:
        staking.set_validator(ctx, validator)
        if validator.unbonding_time_ns and validator.status.name == "UNBONDING":
            staking.queue_insert(ctx, keys.validator_queue_key(validator.unbonding_time_ns, validator.unbonding_height,
                                                               validator.operator.raw))
    for delegation in state.delegations:
        staking.set_delegation(ctx, delegation)
    for ubd in state.unbonding_delegations:
        staking.set_unbonding(ctx, ubd)
        for entry in ubd.entries:
            staking.queue_insert(ctx, keys.unbonding_queue_key(entry.completion_time_ns, ubd.delegator.raw,
                                                               ubd.validator.raw))
    for red in state.redelegations:
        staking.set_redelegation(ctx, red)
        for entry in red.entries:
            staking.queue_insert(ctx, keys.redelegation_queue_key(entry.completion_time_ns, red.delegator.raw,
                                                                  red.src_validator.raw, red.dst_validator.raw))
    for power in state.last_powers:
        staking.set_last_power(ctx, power)
    for g in state.genesis_validators:
        process_create_validator(staking, ctx, MsgCreateValidator(
            operator=g.operator, consensus_pubkey=g.consensus_pubkey, vrf_pubkey=g.vrf_pubkey,
            description=g.description, commission_rate=g.commission.rate, commission_max_rate=g.commission.max_rate,
            commission_max_change_rate=g.commission.max_change_rate, min_self_delegation=g.min_self_delegation,
            self_bond=_coin(state.params.bond_denom, g.self_bond)))
    for d in state.genesis_delegations:
        delegate(staking, ctx, d.delegator, d.validator, d.amount)
    if state.last_powers and not state.genesis_validators:
        # An exported chain: the set is exactly the last one (consensus needs all of it, not a diff)
        return [ValidatorUpdate(pub_key=staking.get_validator(ctx, p.operator.raw).consensus_pubkey,  # type: ignore
                                power=p.power) for p in state.last_powers]
    return process_validator_set_updates(staking, ctx)


def export_genesis(staking: StakingKeeper, ctx: Context) -> GenesisState:
    return GenesisState(
        params=staking.get_params(ctx),
        validators=list(staking.iter_validators(ctx)),
        delegations=list(staking.iter_delegations(ctx)),
        unbonding_delegations=list(staking.iter_unbondings(ctx)),
        redelegations=list(staking.iter_redelegations(ctx)),
        last_powers=list(staking.iter_last_powers(ctx)),
    )


def _coin(denom: str, amount: int):  # noqa: ANN202
    from suretychain.core.tx import Coin

    return Coin(denom=denom, amount=amount)
