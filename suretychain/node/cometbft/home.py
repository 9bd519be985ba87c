"""A CometBFT node home: the App's data next to CometBFT's own home.

Layout of ``--home DIR``::

    node.json             this node's settings (NodeConfig: ABCI address, API listen address, snapshots, pruning)
    data/state.db         the App's versioned state (CommitStore)
    data/snapshots/       state-sync snapshots (see suretychain.node.abci.snapshots)
    keys/                 test keyring with the demo accounts (funded in genesis; never for real value)
    logs/node.log         the supervisor and ABCI server log
    logs/cometbft.log     CometBFT's output
    cometbft/             CometBFT's home (config/config.toml, config/genesis.json, data/)

The App's genesis is CometBFT's ``genesis.json``: its ``app_state`` is the App's ``app_state`` object, and its
consensus params are set to the App's defaults so both sides agree on block byte and gas limits.
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

from suretychain.core.genesis import ConsensusParams, GenesisDoc
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


def read_validator(home: NodeHome) -> dict[str, Any]:
    """This node's validator key as a genesis.json validator entry (power 10)."""
    key = json.loads((home.cometbft / "config" / "priv_validator_key.json").read_text())
    return {"address": key["address"], "pub_key": key["pub_key"], "power": "10", "name": ""}


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
    """Create a node home: CometBFT keys and config, the App's genesis (demo accounts) as app_state, node.json."""
    from suretychain.node.devnet.home import build_genesis

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
    if write_genesis:
        doc = build_genesis(chain_id, time.time_ns() if genesis_time_ns is None else genesis_time_ns)
        home.write_genesis(encode_cometbft_genesis(doc, [read_validator(home)]))
    _import_demo_keys(home)
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
