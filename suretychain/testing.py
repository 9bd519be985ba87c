"""``TestChain``: an in-process chain for tests, driving the real App through the same calls a node makes.

    chain = TestChain(accounts={"alice": {"usrt": 10**9}, "bob": {"uusd": 5}})
    result = chain.deliver("alice", MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"),
                                            amount=[Coin(denom="usrt", amount=7)]))
    assert result.code == 0 and chain.balance("bob", "usrt") == 7

Every block runs ``process_proposal``, ``finalize_block`` and ``commit`` and then every module invariant; a broken
invariant fails the test at the block that broke it. Keys are derived from the account names, so runs are
reproducible.

With ``validators=N`` the genesis creates validators ``val0..val{N-1}`` (operator accounts of those names, funded and
self-bonded). The chain then models consensus as CometBFT does: validator updates returned at height ``H`` take
effect at ``H + 2``, and each block's decided last commit lists the previous height's validators with their vote
(all sign, except those made offline with :meth:`set_offline`). :meth:`double_sign` puts duplicate-vote evidence
for a validator into the next block.

Blocks are proposed as a node proposes them: each height's proposer is chosen round-robin (by consensus address)
among the validators in force whose keys this chain holds (those derived by :meth:`consensus_key`), and its
proposal entries (the beacon's VRF proof, made with :meth:`vrf_key`) come from ``App.prepare_proposal`` and go
first in the block. With no such validator the proposer is empty (unknown to staking) and blocks carry no entry.
``next_block(entries=[...])`` overrides the entries txs (to test what the App does with bad ones).
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable

from suretychain.app import make_app
from suretychain.core.app import BlockRequest, FinalizeResult, TxResult
from suretychain.core.context import Misbehavior, VoteInfo
from suretychain.core.crypto import PrivateKey, address_of
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.genesis import GenesisDoc, encode_module_state, parse_time
from suretychain.core.store import CommitStore
from suretychain.core.tx import Coin, Fee, Msg, make_body, sign_tx
from suretychain.modules.bank.types import Balance
from suretychain.modules.bank.types import GenesisState as BankGenesis
from suretychain.modules.staking.types import Commission, Description, GenesisValidator
from suretychain.node.devnet.consensus import apply_updates, choose_proposer
from suretychain.modules.staking.types import GenesisState as StakingGenesis

DEFAULT_GAS = 200_000
GENESIS_TIME = "2026-01-01T00:00:00Z"
VALIDATOR_BOND = 10**12  # 1,000,000 SRT: power 1,000,000
VALIDATOR_FUNDS = {"usrt": 10**13}


def test_key(name: str) -> PrivateKey:
    """The deterministic test key of account ``name``."""
    return PrivateKey.from_seed(hashlib.sha256(b"surety-test-key:" + name.encode()).digest())


class InvariantBroken(AssertionError):
    """An invariant failed after a block."""


class TestChain:
    """A chain in one process, with named funded accounts and optional validators."""

    __test__ = False  # not a pytest class

    def __init__(self, accounts: dict[str, dict[str, int]] | None = None, chain_id: str = "surety-test",
                 genesis_time: str = GENESIS_TIME, path: str | None = None, app_state: dict[str, Any] | None = None,
                 check_invariants: bool = True, validators: int = 0, validator_bond: int = VALIDATOR_BOND,
                 staking: StakingGenesis | None = None) -> None:
        self.chain_id = chain_id
        self.check = check_invariants
        self.keys: dict[str, PrivateKey] = {}
        self.vrf_keys: dict[bytes, bytes] = {}  # consensus address -> VRF secret: this "node's" keys, never state
        self.app = make_app(CommitStore(path, keep_recent=0), vrf_keys=self.vrf_keys)
        self.validator_names = [f"val{i}" for i in range(validators)]
        funds = dict(accounts or {})
        for name in self.validator_names:
            funds.setdefault(name, dict(VALIDATOR_FUNDS))
        balances = [Balance(address=self.address(name), coins=[Coin(denom=d, amount=a) for d, a in sorted(coins.items())])
                    for name, coins in sorted(funds.items())]
        state = {"bank": encode_module_state(BankGenesis(balances=balances))}
        staking_state = staking or StakingGenesis()
        if validators:
            staking_state = StakingGenesis(params=staking_state.params, genesis_validators=[
                self._genesis_validator(name, validator_bond) for name in self.validator_names])
        state["staking"] = encode_module_state(staking_state)
        for name, value in (app_state or {}).items():
            state[name] = encode_module_state(value)
        self.genesis = GenesisDoc(chain_id=chain_id, genesis_time=genesis_time, app_state=state)
        self.init_result = self.app.init_chain(self.genesis)
        self.time_ns = parse_time(genesis_time)
        self.height = self.genesis.initial_height - 1
        # Consensus model: the validator set in force at each height (updates at H apply from H + 2)
        initial = {address_of(pk): (pk, power) for pk, power in self.init_result.validators}
        self.valsets: dict[int, dict[bytes, tuple[bytes, int]]] = {self.height + 1: initial, self.height + 2: initial}
        self.block_times: dict[int, int] = {}
        self.offline: dict[bytes, int] = {}  # consensus address -> last height it does not vote for
        self.pending_evidence: list[Misbehavior] = []
        self.next_block(seconds=0)  # commit the genesis state as the first block

    def _genesis_validator(self, name: str, bond: int) -> GenesisValidator:
        rate = Dec.from_str("0.1")
        return GenesisValidator(operator=self.address(name), consensus_pubkey=self.consensus_key(name).public_key.raw,
                                vrf_pubkey=self.vrf_key(name).public_key.raw, description=Description(moniker=name),
                                commission=Commission(rate=rate, max_rate=Dec.from_str("0.5"),
                                                      max_change_rate=Dec.from_str("0.05")),
                                min_self_delegation=1, self_bond=bond)

    # ---- accounts -----------------------------------------------------------------------------------------------
    def key(self, name: str) -> PrivateKey:
        """The private key of a named account (created on first use)."""
        if name not in self.keys:
            self.keys[name] = test_key(name)
        return self.keys[name]

    def address(self, name: str) -> Address:
        """The address of a named account."""
        return Address.from_raw(address_of(self.key(name).public_key.raw))

    def valoper(self, name: str) -> ValAddress:
        """The operator address of a named validator (same bytes as its account)."""
        return ValAddress.from_raw(self.address(name).raw)

    def consensus_key(self, name: str) -> PrivateKey:
        """The consensus (block-signing) key of a named validator; the chain then proposes with its VRF key."""
        key = test_key(f"{name}/consensus")
        self.vrf_keys.setdefault(address_of(key.public_key.raw), self.vrf_key(name).seed)
        return key

    def vrf_key(self, name: str) -> PrivateKey:
        """The VRF key of a named validator."""
        return test_key(f"{name}/vrf")

    def consensus_address(self, name: str) -> bytes:
        return address_of(self.consensus_key(name).public_key.raw)

    def sequence(self, name: str) -> int:
        """The next sequence of a named account, from the committed state."""
        return int(self.query("auth/account", address=str(self.address(name)))["sequence"])

    # ---- txs ----------------------------------------------------------------------------------------------------
    def sign(self, name: str, *msgs: Msg, gas: int = DEFAULT_GAS, fee: list[Coin] | None = None, memo: str = "",
             sequence: int | None = None, timeout_height: int = 0, chain_id: str | None = None) -> bytes:
        """Tx bytes from ``name`` carrying ``msgs``; the fee defaults to the minimum for ``gas``."""
        key = self.key(name)
        if fee is None:
            fee = [Coin(denom="usrt", amount=(gas + 999) // 1000)]
        body = make_body(chain_id or self.chain_id, list(msgs), self.address(name), key.public_key.raw,
                         self.sequence(name) if sequence is None else sequence, Fee(amount=fee, gas_limit=gas),
                         memo=memo, timeout_height=timeout_height)
        return sign_tx(body, key)

    def deliver(self, name: str, *msgs: Msg, **kwargs: Any) -> TxResult:
        """Sign ``msgs`` as ``name``, include them alone in the next block and return the tx result."""
        return self.deliver_tx(self.sign(name, *msgs, **kwargs))

    def deliver_tx(self, tx: bytes, check_proposal: bool = True) -> TxResult:
        """Include raw tx bytes alone in the next block and return its result. With ``check_proposal=False`` the
        block is finalized even if ``process_proposal`` would reject it (as when testing what the App does with
        bytes no honest proposer would send)."""
        return self.next_block(txs=[tx], check_proposal=check_proposal).tx_results[0]

    def check_tx(self, tx: bytes) -> TxResult:
        """Run the mempool check against the latest state."""
        return self.app.check_tx(tx)

    # ---- faults -------------------------------------------------------------------------------------------------
    def set_offline(self, name: str, blocks: int) -> None:
        """Validator ``name`` casts no vote for the next ``blocks`` heights."""
        self.offline[self.consensus_address(name)] = self.height + blocks

    def double_sign(self, name: str, height: int | None = None) -> Misbehavior:
        """Put duplicate-vote evidence against ``name`` (at ``height``, default the last block) into the next block."""
        at = self.height if height is None else height
        cons = self.consensus_address(name)
        valset = self.valsets.get(at, {})
        evidence = Misbehavior(kind="duplicate_vote", validator_address=cons, validator_power=valset.get(cons, (b"", 0))[1],
                               height=at, time_ns=self.block_times.get(at, self.time_ns),
                               total_voting_power=sum(power for _, power in valset.values()))
        self.pending_evidence.append(evidence)
        return evidence

    def validator_set(self, height: int | None = None) -> dict[bytes, int]:
        """Consensus address -> power of the set in force at ``height`` (default: the next block)."""
        at = self.height + 1 if height is None else height
        return {address: power for address, (_, power) in self.valsets.get(at, {}).items()}

    def _last_commit(self, height: int) -> tuple[VoteInfo, ...]:
        """The previous height's validators and whether each voted (the decided last commit of ``height``)."""
        previous = self.valsets.get(height - 1, {})
        return tuple(VoteInfo(address=address, power=power,
                              signed=self.offline.get(address, -1) < height - 1)
                     for address, (_, power) in sorted(previous.items()))

    # ---- blocks -------------------------------------------------------------------------------------------------
    def proposer(self, height: int) -> bytes:
        """The proposer of ``height``: round-robin over the validators in force whose keys this chain holds."""
        held = {address: v for address, v in self.valsets.get(height, {}).items() if address in self.vrf_keys}
        return choose_proposer(held, height)

    def propose_entries(self, height: int, time_ns: int, proposer: bytes) -> list[bytes]:
        """The proposal entries txs the proposer's node puts first in the block (``App.prepare_proposal``)."""
        return self.app.prepare_proposal([], self.app.consensus_params.block.max_bytes, height, time_ns, proposer)

    def next_block(self, seconds: int = 1, txs: Iterable[bytes] = (), check_proposal: bool = True,
                   entries: Iterable[bytes] | None = None, **block: Any) -> FinalizeResult:
        """Run one block ``seconds`` after the last: propose, process, finalize, commit, then check every
        invariant. ``tx_results`` cover ``txs`` (the entries tx has none)."""
        self.height += 1
        self.time_ns += seconds * 10**9
        block.setdefault("last_commit", self._last_commit(self.height))
        block.setdefault("misbehavior", tuple(self.pending_evidence))
        block.setdefault("proposer", self.proposer(self.height))
        self.pending_evidence = []
        if entries is None:
            entries = self.propose_entries(self.height, self.time_ns, block["proposer"])
        request = BlockRequest(height=self.height, time_ns=self.time_ns, txs=(*entries, *txs), **block)
        if check_proposal:
            assert self.app.process_proposal(request), "process_proposal rejected the block"
        result = self.app.finalize_block(request)
        self.app.commit()
        self.block_times[self.height] = self.time_ns
        self._apply_validator_updates(result.validator_updates)
        if self.check:
            broken = self.app.check_invariants()
            if broken:
                raise InvariantBroken("; ".join(broken))
        return result

    def _apply_validator_updates(self, updates: list[tuple[bytes, int]]) -> None:
        """Updates returned at height H take effect at H + 2, as in CometBFT."""
        self.valsets[self.height + 2] = apply_updates(self.valsets.get(self.height + 1, {}), updates)

    def advance(self, blocks: int, seconds: int = 1) -> None:
        """Run ``blocks`` empty blocks."""
        for _ in range(blocks):
            self.next_block(seconds=seconds)

    # ---- reads --------------------------------------------------------------------------------------------------
    def query(self, path: str, height: int = 0, **params: Any) -> Any:
        """Run a module query and return its decoded JSON (raises ``SuretyError`` on a coded error)."""
        return self.app.query_json(path, params, height)

    def balance(self, name_or_address: str, denom: str) -> int:
        """A balance by account name or address."""
        address = name_or_address if name_or_address.startswith("sure1") else str(self.address(name_or_address))
        return int(self.query("bank/balance", address=address, denom=denom)["amount"])

    def export_genesis(self) -> GenesisDoc:
        """The current state as a genesis document."""
        return self.app.export_genesis()

    def app_hash(self) -> bytes:
        return self.app.info().last_block_app_hash
