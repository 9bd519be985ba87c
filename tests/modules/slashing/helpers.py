"""Builders for slashing tests: a chain with four validators and a short (MINIMAL) liveness window."""
from __future__ import annotations

from typing import Any

from suretychain.core.app import TxResult
from suretychain.core.context import BlockInfo, Context
from suretychain.core.kv import CacheKV, CommittedKV
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import GenesisState, MsgUnjail
from suretychain.modules.staking.types import GenesisState as StakingGenesis
from suretychain.core.dec import Dec
from suretychain.modules.distribution.params import Params as DistributionParams
from suretychain.modules.distribution.types import GenesisState as DistributionGenesis
from suretychain.testing import VALIDATOR_BOND, TestChain

WINDOW = 10  # [customized] signed_blocks_window (default 100): min signed 5, max missed 5
MINIMAL = Params(signed_blocks_window=WINDOW)
POWER = VALIDATOR_BOND // 10**6
JAIL_SECONDS = 600


def slashing_chain(params: Params = MINIMAL, staking: StakingGenesis | None = None, **kwargs: Any) -> TestChain:
    """val0..val3 bonded at genesis with 10^12 usrt each; alice and bob funded. Inflation is off, so every burned
    unit shows in the supply exactly."""
    no_inflation = DistributionGenesis(params=DistributionParams(inflation=Dec.ZERO))
    return TestChain(accounts={"alice": {"usrt": 10**13}, "bob": {"usrt": 10**13}}, validators=4,
                     app_state={"slashing": GenesisState(params=params), "distribution": no_inflation},
                     staking=staking, **kwargs)


def signing_info(chain: TestChain, name: str) -> dict:
    return chain.query("slashing/signing-info", validator=str(chain.valoper(name)))


def validator(chain: TestChain, name: str) -> dict:
    return chain.query("staking/validator", validator=str(chain.valoper(name)))


def tokens(chain: TestChain, name: str) -> int:
    return validator(chain, name)["tokens"]


def unjail(chain: TestChain, name: str, signer: str | None = None) -> TxResult:
    return chain.deliver(signer or name, MsgUnjail(validator=chain.valoper(name)))


def make_offline_until_jailed(chain: TestChain, name: str, offline_blocks: int = 12) -> int:
    """Take ``name`` offline from the next block and run blocks until it is jailed; return the jailing height."""
    chain.set_offline(name, offline_blocks)
    for _ in range(4 * WINDOW):
        chain.next_block()
        if validator(chain, name)["jailed"]:
            return chain.height
    raise AssertionError(f"{name} was never jailed")


def slashing_events(result: Any, kind: str) -> list[dict[str, str]]:
    """The attributes of the slashing events of one type in a block result."""
    return [{a.key: a.value for a in e.attributes} for e in result.events if e.module == "slashing" and e.type == kind]


def block_context(chain: TestChain) -> Context:
    """A writable context over the committed state (for invariant tests that break the state on purpose)."""
    return Context(kv=CacheKV(CommittedKV(chain.app.store)),
                   block=BlockInfo(chain_id=chain.chain_id, height=chain.height, time_ns=chain.time_ns))


def keeper(chain: TestChain):  # noqa: ANN201
    return chain.app.modules_by_name["slashing"].keeper
