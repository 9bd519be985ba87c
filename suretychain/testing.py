"""``TestChain``: an in-process chain for tests, driving the real App through the same calls a node makes.

    chain = TestChain(accounts={"alice": {"usrt": 10**9}, "bob": {"uusd": 5}})
    result = chain.deliver("alice", MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"),
                                            amount=[Coin(denom="usrt", amount=7)]))
    assert result.code == 0 and chain.balance("bob", "usrt") == 7

Every block runs ``process_proposal``, ``finalize_block`` and ``commit`` and then every module invariant; a broken
invariant fails the test at the block that broke it. Keys are derived from the account names, so runs are
reproducible.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable


from suretychain.app import make_app
from suretychain.core.app import BlockRequest, FinalizeResult, TxResult
from suretychain.core.crypto import PrivateKey
from suretychain.core.encoding import Address
from suretychain.core.genesis import GenesisDoc, encode_module_state, parse_time
from suretychain.core.store import CommitStore
from suretychain.core.tx import Coin, Fee, Msg, make_body, sign_tx
from suretychain.modules.bank.types import Balance
from suretychain.modules.bank.types import GenesisState as BankGenesis

DEFAULT_GAS = 200_000
GENESIS_TIME = "2026-01-01T00:00:00Z"


def test_key(name: str) -> PrivateKey:
    """The deterministic test key of account ``name``."""
    return PrivateKey.from_seed(hashlib.sha256(b"surety-test-key:" + name.encode()).digest())


class InvariantBroken(AssertionError):
    """An invariant failed after a block."""


class TestChain:
    """A chain in one process, with named funded accounts."""

    __test__ = False  # not a pytest class

    def __init__(self, accounts: dict[str, dict[str, int]] | None = None, chain_id: str = "surety-test",
                 genesis_time: str = GENESIS_TIME, path: str | None = None, app_state: dict[str, Any] | None = None,
                 check_invariants: bool = True) -> None:
        self.chain_id = chain_id
        self.check = check_invariants
        self.keys: dict[str, PrivateKey] = {}
        self.app = make_app(CommitStore(path, keep_recent=0))
        balances = [Balance(address=self.address(name), coins=[Coin(denom=d, amount=a) for d, a in sorted(coins.items())])
                    for name, coins in sorted((accounts or {}).items())]
        state = {"bank": encode_module_state(BankGenesis(balances=balances))}
        for name, value in (app_state or {}).items():
            state[name] = encode_module_state(value)
        self.genesis = GenesisDoc(chain_id=chain_id, genesis_time=genesis_time, app_state=state)
        self.init_result = self.app.init_chain(self.genesis)
        self.time_ns = parse_time(genesis_time)
        self.height = self.genesis.initial_height - 1
        self.next_block(seconds=0)  # commit the genesis state as the first block

    # ---- accounts -----------------------------------------------------------------------------------------------
    def key(self, name: str) -> PrivateKey:
        """The private key of a named account (created on first use)."""
        if name not in self.keys:
            self.keys[name] = test_key(name)
        return self.keys[name]

    def address(self, name: str) -> Address:
        """The address of a named account."""
        return Address.from_raw(self._raw_address(name))

    def _raw_address(self, name: str) -> bytes:
        from suretychain.core.crypto import address_of

        return address_of(self.key(name).public_key.raw)

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

    # ---- blocks -------------------------------------------------------------------------------------------------
    def next_block(self, seconds: int = 1, txs: Iterable[bytes] = (), check_proposal: bool = True,
                   **block: Any) -> FinalizeResult:
        """Run one block ``seconds`` after the last: process, finalize, commit, then check every invariant."""
        self.height += 1
        self.time_ns += seconds * 10**9
        request = BlockRequest(height=self.height, time_ns=self.time_ns, txs=tuple(txs), **block)
        if check_proposal:
            assert self.app.process_proposal(request), "process_proposal rejected the block"
        result = self.app.finalize_block(request)
        self.app.commit()
        if self.check:
            broken = self.app.check_invariants()
            if broken:
                raise InvariantBroken("; ".join(broken))
        return result

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


