"""The devnet home: genesis with funded demo accounts, their keys, and the data directory.

Layout of ``~/.surety/devnet`` (or ``--home``)::

    genesis.json          the chain's genesis (created on first run)
    data/state.db         the App's versioned state (CommitStore)
    data/blocks.db        blocks, txs, results, event index
    keys/<name>.json      demo account keys, ``test`` keyring backend (unencrypted: a devnet is for testing)

Demo accounts are derived from fixed mnemonics, as Anvil's are, so their addresses are the same on every devnet:
never send real value to them.
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from mnemonic import Mnemonic

from suretychain.client.keyring import Keyring, KeyringError, mnemonic_to_private_key
from suretychain.core.crypto import address_of, encode_address
from suretychain.core.encoding import Address
from suretychain.core.genesis import GenesisDoc, encode_genesis, encode_module_state, format_time
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import Balance
from suretychain.modules.bank.types import GenesisState as BankGenesis

DEFAULT_HOME = Path.home() / ".surety" / "devnet"
DEFAULT_CHAIN_ID = "surety-devnet-1"
DEMO_ACCOUNTS = ("alice", "bob", "carol", "dave", "erin")
DEMO_USRT = 1_000_000 * 10**6  # 1,000,000 SRT each
DEMO_UUSD = 1_000_000 * 10**6  # 1,000,000 test dollars each


@dataclass(frozen=True)
class DemoAccount:
    name: str
    address: str
    mnemonic: str


def demo_mnemonic(name: str) -> str:
    """The fixed 24-word mnemonic of a demo account."""
    entropy = hashlib.sha256(b"surety-devnet-demo-account:" + name.encode()).digest()
    return Mnemonic("english").to_mnemonic(entropy)


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts, in order."""
    out = []
    for name in DEMO_ACCOUNTS:
        mnemonic = demo_mnemonic(name)
        key = mnemonic_to_private_key(mnemonic)
        out.append(DemoAccount(name, encode_address(address_of(key.public_key.raw)), mnemonic))
    return out


def build_genesis(chain_id: str, genesis_time_ns: int) -> GenesisDoc:
    """A genesis funding every demo account with SRT and test dollars."""
    balances = [Balance(address=Address(a.address), coins=[Coin(denom="usrt", amount=DEMO_USRT),
                                                            Coin(denom="uusd", amount=DEMO_UUSD)])
                for a in demo_accounts()]
    balances.sort(key=lambda b: b.address.raw)
    return GenesisDoc(chain_id=chain_id, genesis_time=format_time(genesis_time_ns),
                      app_state={"bank": encode_module_state(BankGenesis(balances=balances))})


class DevnetHome:
    """Paths of one devnet home."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        self.genesis = self.root / "genesis.json"
        self.data = self.root / "data"
        self.state_db = self.data / "state.db"
        self.blocks_db = self.data / "blocks.db"

    @property
    def exists(self) -> bool:
        return self.genesis.exists()

    def reset(self) -> None:
        """Delete the chain data and genesis (keys too: they are re-created identically)."""
        if self.root.exists():
            shutil.rmtree(self.root)

    def create(self, chain_id: str, genesis_time_ns: int) -> GenesisDoc:
        """Write genesis and import the demo keys into the home's test keyring."""
        self.data.mkdir(parents=True, exist_ok=True)
        doc = build_genesis(chain_id, genesis_time_ns)
        self.genesis.write_bytes(encode_genesis(doc))
        keyring = Keyring(self.root, backend="test")
        for account in demo_accounts():
            try:
                keyring.recover(account.name, account.mnemonic)
            except KeyringError:
                pass  # already there from an earlier run
        return doc
