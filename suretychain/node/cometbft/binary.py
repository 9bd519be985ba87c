"""Finding and installing the CometBFT binary (pinned to v0.38.25: the ABCI schema is 0.38's).

One lookup order everywhere (:func:`find_cometbft`): ``$SURETY_COMETBFT``, ``~/.surety/bin``, ``$GOBIN``,
``$(go env GOPATH)/bin``, then ``PATH``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

COMETBFT_VERSION = "0.38.25"
COMETBFT_MODULE = "github.com/cometbft/cometbft/cmd/cometbft"
DEFAULT_BIN_DIR = Path.home() / ".surety" / "bin"


class CometBFTNotFound(Exception):
    """No usable cometbft binary (or Go to build one)."""


def _candidate_dirs() -> list[Path]:
    dirs = [DEFAULT_BIN_DIR]
    if os.environ.get("GOBIN"):
        dirs.append(Path(os.environ["GOBIN"]))
    go = shutil.which("go")
    if go:
        try:
            gopath = subprocess.run([go, "env", "GOPATH"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            gopath = ""
        for part in filter(None, gopath.split(os.pathsep)):
            dirs.append(Path(part) / "bin")
    return dirs


def find_cometbft() -> Path | None:
    """The cometbft binary to use, or None."""
    explicit = os.environ.get("SURETY_COMETBFT")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    for directory in _candidate_dirs():
        candidate = directory / "cometbft"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("cometbft")
    return Path(found) if found else None


def get_version(binary: Path) -> str:
    """What ``cometbft version`` prints (stripped)."""
    return subprocess.run([str(binary), "version"], capture_output=True, text=True, timeout=30).stdout.strip()


def require_cometbft() -> Path:
    """The binary, checked to be the pinned version; raise :class:`CometBFTNotFound` with the fix otherwise."""
    binary = find_cometbft()
    if binary is None:
        raise CometBFTNotFound("cometbft not found: run `surety cometbft install` (needs Go >= 1.22)")
    version = get_version(binary)
    if version != COMETBFT_VERSION:
        raise CometBFTNotFound(f"{binary} is version {version!r}, need {COMETBFT_VERSION}: "
                               "run `surety cometbft install`")
    return binary


def install_cometbft(bin_dir: Path | None = None, timeout_s: float = 1800) -> Path:
    """``go install`` the pinned CometBFT into ``bin_dir`` (default ``$GOBIN`` or ``~/.surety/bin``); return it."""
    go = shutil.which("go")
    if go is None:
        raise CometBFTNotFound("Go is not installed (need Go >= 1.22 to build CometBFT v0.38): install it from "
                               "your package manager or go.dev, or put a cometbft 0.38.25 binary on PATH "
                               "or in $SURETY_COMETBFT")
    target = Path(bin_dir or os.environ.get("GOBIN") or DEFAULT_BIN_DIR).expanduser().resolve()
    target.mkdir(parents=True, exist_ok=True)
    existing = target / "cometbft"
    if existing.is_file() and get_version(existing) == COMETBFT_VERSION:
        return existing  # already built at the pinned version
    env = dict(os.environ, GOBIN=str(target))
    proc = subprocess.run([go, "install", f"{COMETBFT_MODULE}@v{COMETBFT_VERSION}"], env=env, capture_output=True,
                          text=True, timeout=timeout_s)
    if proc.returncode != 0:
        raise CometBFTNotFound(f"go install failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    binary = target / "cometbft"
    version = get_version(binary)
    if version != COMETBFT_VERSION:
        raise CometBFTNotFound(f"installed {binary} reports version {version!r}, expected {COMETBFT_VERSION}")
    return binary
