"""The one place the modules are wired: keepers, module accounts, hook order and the ante step."""
from __future__ import annotations

from functools import partial
from typing import Any, Mapping

from suretychain.core.app import App
from suretychain.modules import auth as auth_module
from suretychain.modules import bank as bank_module
from suretychain.modules import court as court_module
from suretychain.modules import beacon as beacon_module
from suretychain.modules import distribution as distribution_module
from suretychain.modules import insurance as insurance_module
from suretychain.modules import slashing as slashing_module
from suretychain.modules import staking as staking_module
from suretychain.modules.auth import FEE_COLLECTOR, AnteHandler, AuthKeeper
from suretychain.core.hooks import Hooks
from suretychain.modules.bank import BURNER, BankKeeper
from suretychain.modules.bank import MINTER
from suretychain.modules.beacon import BeaconKeeper
from suretychain.modules.court import COURT_ACCOUNT, CourtKeeper
from suretychain.modules.distribution import DISTRIBUTION_ACCOUNT, DistributionKeeper
from suretychain.modules.insurance import INSURANCE_ACCOUNT, TREASURY, InsuranceKeeper
from suretychain.modules.slashing import SlashingKeeper
from suretychain.modules.staking.types import (
    HookBeforeUnbond,
    HookRedelegationCompleted,
    HookUnbondingCompleted,
    HookValidatorTombstoned,
)
from suretychain.modules.staking import BONDED_POOL, NOT_BONDED_POOL, StakingKeeper
from suretychain.modules.staking.types import HookValidatorBeginUnbonding, HookValidatorBonded, HookValidatorCreated
from suretychain.modules.staking.types import (
    HookBeforeDelegationCreated,
    HookBeforeDelegationSharesModified,
    HookBeforeValidatorSlashed,
    HookDelegationModified,
    HookValidatorRemoved,
    HookValidatorSlashed,
)

# Module accounts and what each may do to the supply (escrows with no key; later modules add theirs here).
MODULE_ACCOUNTS: dict[str, frozenset[str]] = {
    FEE_COLLECTOR: frozenset(),
    BONDED_POOL: frozenset({BURNER}),
    NOT_BONDED_POOL: frozenset({BURNER}),
    DISTRIBUTION_ACCOUNT: frozenset({MINTER}),  # mints the inflation; holds unpaid rewards and the community pool
    INSURANCE_ACCOUNT: frozenset(),  # transit of forfeited self-bond to insured delegators (empty between txs)
    TREASURY: frozenset(),  # the protocol commission on insurance premiums
    COURT_ACCOUNT: frozenset(),  # juror stakes, pending withdrawals, unsettled dispute fees, community shares
}

BOND_DENOM = "usrt"


def make_app(store: Any, vrf_keys: Mapping[bytes, bytes] | None = None) -> App:
    """Build the App over ``store`` with every module, in hook order. ``vrf_keys`` (consensus address -> 32-byte
    VRF secret key) are this node's own validators' keys, used only to propose beacon entries: node
    configuration, never state (a node without them still verifies and executes every block)."""
    auth = AuthKeeper()
    bank = BankKeeper(MODULE_ACCOUNTS)
    staking_hooks = Hooks()
    staking = StakingKeeper(bank, staking_hooks)
    distribution = DistributionKeeper(bank, staking)
    dist_hooks = distribution_module.hooks
    staking_hooks.subscribe(HookValidatorCreated, partial(dist_hooks.process_validator_created, distribution))
    staking_hooks.subscribe(HookBeforeDelegationCreated,
                            partial(dist_hooks.process_before_delegation_created, distribution))
    staking_hooks.subscribe(HookBeforeDelegationSharesModified,
                            partial(dist_hooks.process_before_delegation_shares_modified, distribution))
    staking_hooks.subscribe(HookDelegationModified, partial(dist_hooks.process_delegation_modified, distribution))
    staking_hooks.subscribe(HookBeforeValidatorSlashed,
                            partial(dist_hooks.process_before_validator_slashed, distribution))
    staking_hooks.subscribe(HookValidatorSlashed, partial(dist_hooks.process_validator_slashed, distribution))
    staking_hooks.subscribe(HookValidatorRemoved, partial(dist_hooks.process_validator_removed, distribution))
    slashing = SlashingKeeper(staking)
    staking_hooks.subscribe(HookValidatorCreated, partial(slashing_module.hooks.process_validator_created, slashing))
    staking_hooks.subscribe(HookValidatorBonded, partial(slashing_module.hooks.process_validator_bonded, slashing))
    staking_hooks.subscribe(HookValidatorBeginUnbonding,
                            partial(slashing_module.hooks.process_validator_begin_unbonding, slashing))
    insurance = InsuranceKeeper(bank, staking, slashing)
    ins_hooks = insurance_module.hooks
    staking_hooks.subscribe(HookValidatorSlashed, partial(ins_hooks.process_validator_slashed, insurance))
    staking_hooks.subscribe(HookValidatorTombstoned, partial(ins_hooks.process_validator_tombstoned, insurance))
    staking_hooks.subscribe(HookBeforeUnbond, partial(ins_hooks.process_before_unbond, insurance))
    staking_hooks.subscribe(HookUnbondingCompleted, partial(ins_hooks.process_unbonding_completed, insurance))
    staking_hooks.subscribe(HookRedelegationCompleted, partial(ins_hooks.process_redelegation_completed, insurance))
    beacon = BeaconKeeper(staking, vrf_keys)
    court = CourtKeeper(bank, beacon)  # creator modules register their ruling callbacks here
    modules = [
        beacon_module.make_module(beacon),  # first: the block's seed is fixed before anything else runs
        auth_module.make_module(auth),
        bank_module.make_module(bank),
        distribution_module.make_module(distribution),  # before staking: rewards for the last commit first
        staking_module.make_module(staking),
        slashing_module.make_module(slashing),
        insurance_module.make_module(insurance),  # after slashing: refunds follow the slashes of the block
        court_module.make_module(court),  # draws from the seed the beacon fixed at this block's start
    ]
    return App(store, modules, ante=AnteHandler(auth, bank))
