"""A CometBFT node home: the App's data next to CometBFT's own home.

Layout of ``--home DIR``::

    node.json             this node's settings (NodeConfig: ABCI address, API listen address, snapshots, pruning)
    data/state.db         the App's versioned state (CommitStore)
    data/snapshots/       state-sync snapshots (see suretychain.node.abci.snapshots)
    keys/                 test keyring: the demo accounts and ``operator``, this validator's operator account
                          (funded in genesis; never for real value)
    vrf_key.json          this validator's VRF key (seed and public key, mode 0600)
    logs/node.log         the supervisor and ABCI server log
    logs/cometbft.log     CometBFT's output
    cometbft/             CometBFT's home (config/config.toml, config/genesis.json, data/)

The App's genesis is CometBFT's ``genesis.json``: its ``app_state`` is the App's ``app_state`` object, and its
consensus params are set to the App's defaults so both sides agree on block byte and gas limits. Its validator set
and the staking genesis are built together (:func:`build_network_genesis`): each validator home's operator account
is funded and creates its validator at genesis with the consensus key of ``priv_validator_key.json``, so the set
the App returns at InitChain equals genesis.json's (InitChain refuses to start otherwise).
"""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import msgspec

from suretychain.core.genesis import ConsensusParams, GenesisDoc, decode_module_state, encode_module_state
from suretychain.core.app import APP_VERSION
from suretychain.node.cometbft.binary import require_cometbft
from suretychain.node.cometbft.toml_edit import set_values

DEFAULT_NODE_HOME = Path("~/.surety/node")
DEFAULT_CHAIN_ID = "surety-local-1"

# Consensus timeouts for local networks: a block every ~0.5 s with 4 validators on one machine.
FAST_CONSENSUS = {
    "timeout_propose": "2s",
    "timeout_propose_delta": "200ms",
    "timeout_prevote": "500ms",
    "timeout_prevote_delta": "200ms",
    "timeout_precommit": "500ms",
    "timeout_precommit_delta": "200ms",
    "timeout_commit": "300ms",
    "peer_gossip_sleep_duration": "50ms",
}


class NodeConfig(msgspec.Struct, kw_only=True):
    """``node.json``: how ``surety node start`` runs this home."""

    moniker: str
    abci: str  # tcp://HOST:PORT or unix://PATH
    api: str = "127.0.0.1:1317"  # HOST:PORT of the HTTP API ("" = no API)
    rpc: str = "tcp://127.0.0.1:26657"  # CometBFT RPC listen address (mirrors config.toml)
    p2p: str = "tcp://0.0.0.0:26656"
    keep_recent: int = 1000  # state versions kept queryable (0 = all)
    snapshot_interval: int = 0  # blocks between state-sync snapshots (0 = none)
    snapshot_keep: int = 2
    snapshot_chunk_bytes: int = 1024 * 1024


class NodeHome:
    """Paths of one node home."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser().resolve()
        self.config_file = self.root / "node.json"
        self.data = self.root / "data"
        self.state_db = self.data / "state.db"
        self.snapshots = self.data / "snapshots"
        self.logs = self.root / "logs"
        self.cometbft = self.root / "cometbft"
        self.cometbft_config = self.cometbft / "config" / "config.toml"
        self.genesis = self.cometbft / "config" / "genesis.json"
        self.pid_file = self.root / "node.pid"

    @property
    def exists(self) -> bool:
        return self.config_file.exists()

    def load_config(self) -> NodeConfig:
        return msgspec.json.decode(self.config_file.read_bytes(), type=NodeConfig)

    def save_config(self, config: NodeConfig) -> None:
        self.config_file.write_bytes(msgspec.json.format(msgspec.json.encode(config), indent=2) + b"\n")

    def edit_cometbft_config(self, section: str, values: dict[str, Any]) -> None:
        self.cometbft_config.write_text(set_values(self.cometbft_config.read_text(), section, values))

    def read_genesis(self) -> dict[str, Any]:
        return json.loads(self.genesis.read_text())

    def write_genesis(self, doc: dict[str, Any]) -> None:
        self.genesis.write_text(json.dumps(doc, indent=2) + "\n")


def compute_node_id(home: NodeHome) -> str:
    """The p2p node id: hex of the first 20 bytes of sha256(node ed25519 public key) (= ``cometbft show-node-id``)."""
    key = json.loads((home.cometbft / "config" / "node_key.json").read_text())
    raw = base64.b64decode(key["priv_key"]["value"])
    return hashlib.sha256(raw[32:]).digest()[:20].hex()


OPERATOR_KEY = "operator"  # keyring name of a validator home's operator account


def validator_power() -> int:
    """Consensus power of a genesis validator: its self-bond in SRT (the devnet's self-bond)."""
    from suretychain.modules.staking.types import POWER_REDUCTION
    from suretychain.node.devnet.home import VALIDATOR_SELF_BOND

    return VALIDATOR_SELF_BOND // POWER_REDUCTION


def read_validator(home: NodeHome) -> dict[str, Any]:
    """This node's validator key as a genesis.json validator entry (power = the staking genesis self-bond's)."""
    key = json.loads((home.cometbft / "config" / "priv_validator_key.json").read_text())
    return {"address": key["address"], "pub_key": key["pub_key"], "power": str(validator_power()), "name": ""}


def read_consensus_pubkey(home: NodeHome) -> bytes:
    """The raw ed25519 public key of ``priv_validator_key.json``."""
    key = json.loads((home.cometbft / "config" / "priv_validator_key.json").read_text())
    if key["pub_key"]["type"] != "tendermint/PubKeyEd25519":
        raise RuntimeError(f"{home.root}: only ed25519 validator keys are supported, got {key['pub_key']['type']}")
    return base64.b64decode(key["pub_key"]["value"])


def ensure_vrf_key(home: NodeHome) -> bytes:
    """This validator's VRF public key; the key (a random seed) is generated into ``vrf_key.json`` if missing."""
    import os

    from suretychain.core.crypto import PrivateKey

    path = home.root / "vrf_key.json"
    if path.exists():
        return bytes.fromhex(json.loads(path.read_text())["public_key"])
    seed = os.urandom(32)
    public = PrivateKey.from_seed(seed).public_key.raw
    path.write_text(json.dumps({"seed": seed.hex(), "public_key": public.hex()}, indent=2) + "\n")
    path.chmod(0o600)
    return public


def ensure_operator_key(home: NodeHome) -> str:
    """The address of this home's operator account (``operator`` in its test keyring; created if missing)."""
    from suretychain.client.keyring import Keyring, KeyringError

    keyring = Keyring(home.root, backend="test")
    try:
        return keyring.show(OPERATOR_KEY).address
    except KeyringError:
        info, _ = keyring.add(OPERATOR_KEY)
        return info.address


class SlashingOverrides(msgspec.Struct, kw_only=True):
    """Slashing genesis params a local network may shorten (``None`` keeps the module default)."""

    signed_blocks_window: int | None = None
    downtime_jail_duration_ns: int | None = None


def build_network_genesis(chain_id: str, genesis_time_ns: int, homes: list[NodeHome],
                          slashing: SlashingOverrides | None = None) -> GenesisDoc:
    """The App's genesis for validator ``homes``: the demo accounts and every operator funded, one genesis
    validator per home (its operator, ``priv_validator_key.json``'s consensus key, its VRF key, the devnet's
    self-bond and commission), and the slashing params overridden as asked."""
    from suretychain.core.encoding import Address
    from suretychain.core.tx import Coin
    from suretychain.modules.bank.types import Balance
    from suretychain.modules.bank.types import GenesisState as BankGenesis
    from suretychain.modules.slashing.params import Params as SlashingParams
    from suretychain.modules.slashing.types import GenesisState as SlashingGenesis
    from suretychain.modules.staking.types import GenesisState as StakingGenesis
    from suretychain.modules.staking.types import GenesisValidator
    from suretychain.node.devnet.home import (
        VALIDATOR_FUNDS,
        VALIDATOR_SELF_BOND,
        build_genesis,
        build_validator_genesis,
        devnet_validators,
    )

    doc = build_genesis(chain_id, genesis_time_ns)
    bank = decode_module_state("bank", bytes(doc.app_state["bank"]), BankGenesis)
    template = build_validator_genesis(devnet_validators()[:1])[1].genesis_validators[0]
    balances = list(bank.balances)
    created = []
    for home in homes:
        operator = Address(ensure_operator_key(home))
        balances.append(Balance(address=operator, coins=[Coin(denom="usrt", amount=VALIDATOR_FUNDS)]))
        created.append(GenesisValidator(
            operator=operator, consensus_pubkey=read_consensus_pubkey(home), vrf_pubkey=ensure_vrf_key(home),
            description=msgspec.structs.replace(template.description, moniker=home.load_config().moniker),
            commission=template.commission, min_self_delegation=template.min_self_delegation,
            self_bond=VALIDATOR_SELF_BOND))
    balances.sort(key=lambda b: b.address.raw)
    app_state = dict(doc.app_state)
    app_state["bank"] = encode_module_state(msgspec.structs.replace(bank, balances=balances))
    app_state["staking"] = encode_module_state(StakingGenesis(genesis_validators=created))
    if slashing is not None:
        overrides = {k: v for k, v in msgspec.structs.asdict(slashing).items() if v is not None}
        if overrides:
            params = msgspec.structs.replace(SlashingParams(), **overrides)
            app_state["slashing"] = encode_module_state(SlashingGenesis(params=params))
    return msgspec.structs.replace(doc, app_state=dict(sorted(app_state.items())))


def encode_cometbft_genesis(doc: GenesisDoc, validators: list[dict[str, Any]]) -> dict[str, Any]:
    """CometBFT's genesis.json for the App's genesis: same chain id, time, height, limits; app_state as is."""
    params: ConsensusParams = doc.consensus_params
    return {
        "genesis_time": doc.genesis_time,
        "chain_id": doc.chain_id,
        "initial_height": str(doc.initial_height),
        "consensus_params": {
            "block": {"max_bytes": str(params.block.max_bytes), "max_gas": str(params.block.max_gas)},
            "evidence": {"max_age_num_blocks": str(params.evidence.max_age_num_blocks),
                         "max_age_duration": str(params.evidence.max_age_duration_ns),
                         "max_bytes": str(params.evidence.max_bytes)},
            "validator": {"pub_key_types": ["ed25519"]},
            "version": {"app": str(APP_VERSION)},
            "abci": {"vote_extensions_enable_height": "0"},
        },
        "validators": validators,
        "app_hash": "",
        "app_state": {name: json.loads(bytes(raw)) for name, raw in doc.app_state.items()},
    }


def run_cometbft_init(home: NodeHome) -> None:
    """``cometbft init --home <home>/cometbft`` (keys, default config and a single-validator genesis)."""
    binary = require_cometbft()
    proc = subprocess.run([str(binary), "init", "--home", str(home.cometbft)], capture_output=True, text=True,
                          timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"cometbft init failed: {proc.stderr.strip()}")


def init_node(root: Path, moniker: str, chain_id: str = DEFAULT_CHAIN_ID, genesis_time_ns: int | None = None,
              config: NodeConfig | None = None, write_genesis: bool = True) -> NodeHome:
    """Create a node home: CometBFT keys and config, node.json, the demo keys and (with ``write_genesis``) a
    single-validator genesis: demo accounts funded, this node's operator creating its validator."""
    home = NodeHome(root)
    if home.exists:
        raise FileExistsError(f"{home.root} is already a node home (remove it to start over)")
    home.root.mkdir(parents=True, exist_ok=True)
    for directory in (home.data, home.snapshots, home.logs):
        directory.mkdir(parents=True, exist_ok=True)
    run_cometbft_init(home)
    config = config or NodeConfig(moniker=moniker, abci=f"unix://{home.root / 'abci.sock'}")
    home.save_config(config)
    apply_node_config(home, config)
    _import_demo_keys(home)
    if write_genesis:
        doc = build_network_genesis(chain_id, time.time_ns() if genesis_time_ns is None else genesis_time_ns, [home])
        home.write_genesis(encode_cometbft_genesis(doc, [dict(read_validator(home), name=moniker)]))
    return home


def apply_node_config(home: NodeHome, config: NodeConfig, consensus: dict[str, Any] | None = None) -> None:
    """Mirror node.json into CometBFT's config.toml (proxy app, listen addresses, moniker, timeouts)."""
    home.edit_cometbft_config("", {"proxy_app": config.abci, "moniker": config.moniker})
    home.edit_cometbft_config("rpc", {"laddr": config.rpc})
    home.edit_cometbft_config("p2p", {"laddr": config.p2p})
    home.edit_cometbft_config("consensus", consensus or FAST_CONSENSUS)


def _import_demo_keys(home: NodeHome) -> None:
    from suretychain.client.keyring import Keyring, KeyringError
    from suretychain.node.devnet.home import demo_accounts

    keyring = Keyring(home.root, backend="test")
    for account in demo_accounts():
        try:
            keyring.recover(account.name, account.mnemonic)
        except KeyringError:
            pass
