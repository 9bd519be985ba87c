"""The devnet home: genesis with funded demo accounts, their keys, and the data directory.

Layout of ``~/.surety/devnet`` (or ``--home``)::

    genesis.json          the chain's genesis (created on first run)
    data/state.db         the App's versioned state (CommitStore)
    data/blocks.db        blocks, their txs and results, consensus data, validator sets
    data/txindex.db       txs by hash and by event attribute (rebuilt from blocks.db when missing)
    keys/<name>.json      demo account keys, ``test`` keyring backend (unencrypted: a devnet is for testing)

Demo accounts are derived from fixed mnemonics, as Anvil's are, so their addresses are the same on every devnet:
never send real value to them.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from mnemonic import Mnemonic

from suretychain.client.keyring import Keyring, KeyringError, mnemonic_to_private_key
from suretychain.client.validator_keys import KEYS_DIR
from suretychain.core.crypto import PrivateKey, address_of, encode_address
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address
from suretychain.core.genesis import GenesisDoc, encode_genesis, encode_module_state, format_time
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import Balance
from suretychain.modules.bank.types import GenesisState as BankGenesis
from suretychain.modules.staking.types import Commission, Description, GenesisValidator
from suretychain.modules.staking.types import GenesisState as StakingGenesis

DEFAULT_HOME = Path.home() / ".surety" / "devnet"
DEFAULT_CHAIN_ID = "surety-devnet-1"
DEMO_ACCOUNTS = ("alice", "bob", "carol", "dave", "erin")
DEMO_USRT = 1_000_000 * 10**6  # 1,000,000 SRT each
DEMO_UUSD = 1_000_000 * 10**6  # 1,000,000 test dollars each
DEVNET_VALIDATORS = ("validator0", "validator1", "validator2", "validator3")
VALIDATOR_FUNDS = 100_000 * 10**6  # 100,000 SRT each
VALIDATOR_SELF_BOND = 10_000 * 10**6  # 10,000 SRT: power 10,000 each


@dataclass(frozen=True)
class DevnetValidator:
    """A devnet validator: its operator account and its consensus and VRF keys (test keys, kept in the home)."""

    name: str
    mnemonic: str
    consensus_seed: bytes
    vrf_seed: bytes

    @property
    def operator(self) -> str:
        return encode_address(address_of(mnemonic_to_private_key(self.mnemonic).public_key.raw))

    @property
    def consensus_key(self) -> PrivateKey:
        return PrivateKey.from_seed(self.consensus_seed)

    @property
    def vrf_key(self) -> PrivateKey:
        return PrivateKey.from_seed(self.vrf_seed)


def devnet_validators() -> list[DevnetValidator]:
    """The fixed devnet validators."""
    def seed(name: str, role: str) -> bytes:
        return hashlib.sha256(f"surety-devnet-validator:{name}/{role}".encode()).digest()

    return [DevnetValidator(name, demo_mnemonic(name), seed(name, "consensus"), seed(name, "vrf"))
            for name in DEVNET_VALIDATORS]


def build_validator_genesis(validators: list[DevnetValidator]) -> tuple[list[Balance], StakingGenesis]:
    """Funds for each validator's operator, and the staking genesis that creates and bonds them."""
    balances = [Balance(address=Address(v.operator), coins=[Coin(denom="usrt", amount=VALIDATOR_FUNDS)])
                for v in validators]
    rate = Dec.from_str("0.05")
    created = [GenesisValidator(operator=Address(v.operator), consensus_pubkey=v.consensus_key.public_key.raw,
                                vrf_pubkey=v.vrf_key.public_key.raw, description=Description(moniker=v.name),
                                commission=Commission(rate=rate, max_rate=Dec.from_str("0.2"),
                                                      max_change_rate=Dec.from_str("0.01")),
                                min_self_delegation=10**6, self_bond=VALIDATOR_SELF_BOND) for v in validators]
    return balances, StakingGenesis(genesis_validators=created)


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


def build_genesis(chain_id: str, genesis_time_ns: int, validators: list[DevnetValidator] | None = None) -> GenesisDoc:
    """A genesis funding every demo account with SRT and test dollars, and creating ``validators`` if given."""
    balances = [Balance(address=Address(a.address), coins=[Coin(denom="usrt", amount=DEMO_USRT),
                                                            Coin(denom="uusd", amount=DEMO_UUSD)])
                for a in demo_accounts()]
    app_state = {}
    if validators:
        validator_balances, staking = build_validator_genesis(validators)
        balances += validator_balances
        app_state["staking"] = encode_module_state(staking)
    balances.sort(key=lambda b: b.address.raw)
    app_state["bank"] = encode_module_state(BankGenesis(balances=balances))
    return GenesisDoc(chain_id=chain_id, genesis_time=format_time(genesis_time_ns), app_state=dict(sorted(app_state.items())))


class DevnetHome:
    """Paths of one devnet home."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        self.genesis = self.root / "genesis.json"
        self.data = self.root / "data"
        self.state_db = self.data / "state.db"
        self.blocks_db = self.data / "blocks.db"
        self.validators_dir = self.root / "validators"
        self.validator_keys_dir = self.root / KEYS_DIR  # what `surety --home <this> tx staking create-validator
        # --generate-keys` writes: the devnet signs (and proposes) for those validators too

    @property
    def exists(self) -> bool:
        return self.genesis.exists()

    def reset(self) -> None:
        """Delete the chain data and genesis (keys too: they are re-created identically)."""
        if self.root.exists():
            shutil.rmtree(self.root)

    def create(self, chain_id: str, genesis_time_ns: int) -> GenesisDoc:
        """Write genesis, the validators' keys, and the demo and operator keys into the home's test keyring."""
        self.data.mkdir(parents=True, exist_ok=True)
        validators = devnet_validators()
        doc = build_genesis(chain_id, genesis_time_ns, validators)
        self.genesis.write_bytes(encode_genesis(doc))
        self.validators_dir.mkdir(parents=True, exist_ok=True)
        for v in validators:
            record = {"name": v.name, "operator": v.operator, "consensus_seed": v.consensus_seed.hex(),
                      "vrf_seed": v.vrf_seed.hex(), "WARNING": "devnet test keys: never use them elsewhere"}
            path = self.validators_dir / f"{v.name}.json"
            path.write_text(json.dumps(record, indent=2) + "\n")
            path.chmod(0o600)
        keyring = Keyring(self.root, backend="test")
        for name, mnemonic in [(a.name, a.mnemonic) for a in demo_accounts()] + [(v.name, v.mnemonic) for v in validators]:
            try:
                keyring.recover(name, mnemonic)
            except KeyringError:
                pass  # already there from an earlier run
        return doc

    def key_files(self) -> list[Path]:
        """The validator key files this devnet holds: its own (``validators/``), then those generated into its home
        by ``create-validator --generate-keys`` (``validator_keys/``), each in name order."""
        return [*sorted(self.validators_dir.glob("*.json")), *sorted(self.validator_keys_dir.glob("*.json"))]

    def key_files_stamp(self) -> tuple[tuple[str, int], ...]:
        """Names and modification times of the key files: it changes when a key file is added or replaced."""
        return tuple((path.name, path.stat().st_mtime_ns) for path in self.key_files())

    def load_validator_keys(self) -> tuple[dict[str, tuple[str, PrivateKey]], dict[bytes, bytes]]:
        """The keys this devnet holds, from one read of each key file: consensus keys by name (operator address, or
        "" if the file names none; key) and VRF secret seeds by consensus address (node-local, for proposing). A
        file without a consensus secret (one holding public keys only) is skipped."""
        consensus: dict[str, tuple[str, PrivateKey]] = {}
        vrf: dict[bytes, bytes] = {}
        for path in self.key_files():
            record = json.loads(path.read_text())
            if "consensus_seed" not in record:
                continue
            key = PrivateKey.from_seed(bytes.fromhex(record["consensus_seed"]))
            consensus[record["name"]] = (record.get("operator", ""), key)
            if "vrf_seed" in record:
                vrf[address_of(key.public_key.raw)] = bytes.fromhex(record["vrf_seed"])
        return consensus, vrf
