"""The global options every command sees (set by the root callback), and the objects built from them."""
from __future__ import annotations

import dataclasses
import enum
from pathlib import Path

import typer

from suretychain.client.keyring import KDF_MODERATE, Keyring, KeyringError

DEFAULT_HOME = Path("~/.surety")
DEFAULT_DEVNET_HOME = Path("~/.surety/devnet")
KEYRING_KDF = KDF_MODERATE  # argon2id cost of new file-backend keys (tests lower it)


class KeyringBackend(str, enum.Enum):
    """``--keyring-backend`` choices."""

    file = "file"
    test = "test"


class CliError(Exception):
    """A problem of the command line itself (a missing file, a bad option value); printed as ``Error: ...``."""


@dataclasses.dataclass(frozen=True)
class CliState:
    """Global options: node URL, output format, home directory, keyring backend and chain id override."""

    node: str
    output: str
    home: Path
    keyring_backend: str
    chain_id: str | None

    def client(self):  # noqa: ANN201 (imports httpx lazily: keys and genesis commands never need it)
        """A client of ``--node``."""
        from suretychain.client.client import Client

        return Client(self.node)

    def keyring(self) -> Keyring:
        """The keyring at ``<home>/keys``."""
        return Keyring(self.home, self.keyring_backend, kdf=KEYRING_KDF)

    def key_passphrase(self, name: str) -> str | None:
        """Ask for the passphrase of key ``name`` (file backend only)."""
        if self.keyring_backend == "test":
            return None
        return typer.prompt(f"Passphrase for key {name!r}", hide_input=True, err=True)

    def new_key_passphrase(self) -> str | None:
        """Ask twice for the passphrase that will encrypt a new key (file backend only)."""
        if self.keyring_backend == "test":
            return None
        passphrase = typer.prompt("Passphrase to encrypt the key", hide_input=True, confirmation_prompt=True,
                                  err=True)
        if not passphrase:
            raise KeyringError("the passphrase must not be empty")
        return passphrase


def get_state(ctx: typer.Context) -> CliState:
    """The global options of this invocation."""
    state = ctx.find_root().obj
    if not isinstance(state, CliState):  # a sub-app invoked on its own (tests): defaults
        state = CliState("http://127.0.0.1:1317", "text", DEFAULT_HOME.expanduser(), "file", None)
    return state
