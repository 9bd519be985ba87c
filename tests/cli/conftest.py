"""CLI test helpers: a runner over the real command tree with a temporary home and a cheap key derivation."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from suretychain.cli.main import app
from suretychain.client.keyring import KDF_MIN


class Surety:
    """Runs ``surety <args>`` with ``--home`` set to a temporary directory."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, home: bool = True):  # noqa: A002
        argv = (["--home", str(self.home)] if home else []) + list(args)
        return self.runner.invoke(app, argv, input=input, catch_exceptions=False)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch):
    """File-backend keys with the minimum argon2id cost: the CLI flow is under test, not the KDF."""
    monkeypatch.setattr("suretychain.cli.context.KEYRING_KDF", KDF_MIN)


@pytest.fixture
def surety(tmp_path) -> Surety:
    return Surety(tmp_path / "home")
