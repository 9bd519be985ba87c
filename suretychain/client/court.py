"""Court SDK: commit and reveal votes without ever losing a salt.

A juror's vote is committed as a hash (``compute_commitment`` of the court module, imported, never re-written here)
over its choice, magnitude, written reason and a random salt; the reveal must repeat all of them. The salt is drawn
here, client side (``secrets.token_bytes(32)``: a secret of the juror, not consensus randomness), and the whole vote
is written to the :class:`VoteSecretStore` under the home directory **before** the commit tx is signed and sent, so a
commit that reached the chain can always be revealed. :func:`reveal_vote` reads it back; a reveal committed with code
0 removes it.

Store layout: ``<home>/court-votes/<chain id>/<dispute>-<round>-<juror>.json``, directories 0700, files 0600,
written atomically (temp file, fsync, rename, fsync of the directory) as the keyring writes keys. A secret already
stored for the same vote is reused when the vote is the same (a retried commit keeps its salt) and never replaced by
a different one: remove it first (:meth:`VoteSecretStore.remove`) if that commit never reached the chain.

Every other court tx is one msg of ``suretychain.modules.court.types`` sent with
:func:`suretychain.client.txbuilder.send_msgs`; the reads are the ``Client.court_*`` methods.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from suretychain.client.client import Client
from suretychain.client.keyring import write_private_file
from suretychain.client.txbuilder import send_msgs
from suretychain.core.crypto import PrivateKey
from suretychain.core.encoding import Address, convert
from suretychain.core.errors import ErrInvalidRequest
from suretychain.modules.court.disputes import compute_commitment
from suretychain.modules.court.types import MsgCommitVote, MsgRevealVote

SECRETS_DIR = "court-votes"
SALT_BYTES = 32
CHAIN_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)
MAGNITUDE_BPS = re.compile(r"^(\d+)(?:bps)?$")
MAGNITUDE_PERCENT = re.compile(r"^(\d+)(?:\.(\d{1,2}))?%$")


class VoteSecretError(Exception):
    """A vote secret is missing, conflicting or unreadable; the message says which and what to do."""


@dataclass(frozen=True)
class VoteSecret:
    """Everything a reveal repeats: the vote and its salt (hex), for one juror, dispute and round of one chain."""

    chain_id: str
    dispute_id: int
    round: int
    juror: str
    choice: int
    magnitude: int  # basis points, 0..10000
    reason: str
    salt: str  # hex

    def same_vote(self, other: VoteSecret) -> bool:
        """True if ``other`` is this vote (salt aside)."""
        return replace(other, salt=self.salt) == self


# ---- votes ---------------------------------------------------------------------------------------------------------
def parse_magnitude(text: str) -> int:
    """A magnitude as basis points: ``2500`` or ``2500bps``, or a percentage with up to two decimals (``25%``,
    ``12.5%``); the chain bounds it to 0..10000 at the reveal (checked before committing by :func:`make_reveal`)."""
    value = text.strip().replace(" ", "")
    match = MAGNITUDE_BPS.match(value)
    if match:
        return int(match.group(1))
    match = MAGNITUDE_PERCENT.match(value)
    if match:
        return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    raise ErrInvalidRequest(f"magnitude must be basis points (2500) or a percentage (25%), got {text!r}")


def draw_vote_secret(chain_id: str, dispute_id: int, round_index: int, juror: str, choice: int, magnitude: int,
                     reason: str) -> VoteSecret:
    """A new vote with a fresh random salt; its fields are checked against ``MsgRevealVote``'s bounds now, so a
    commit is never made that cannot be revealed."""
    secret = VoteSecret(chain_id, dispute_id, round_index, str(Address(juror)), choice, magnitude, reason,
                        secrets.token_bytes(SALT_BYTES).hex())
    make_reveal(secret)
    return secret


def compute_vote_commitment(secret: VoteSecret) -> bytes:
    """The commitment of ``secret``, by the court module's own ``compute_commitment``."""
    return compute_commitment(secret.dispute_id, secret.round, Address(secret.juror).raw, secret.choice,
                              secret.magnitude, secret.reason, bytes.fromhex(secret.salt))


def make_commit(secret: VoteSecret) -> MsgCommitVote:
    """The ``MsgCommitVote`` of ``secret``."""
    return MsgCommitVote(juror=Address(secret.juror), dispute_id=secret.dispute_id, round=secret.round,
                         commitment=compute_vote_commitment(secret))


def make_reveal(secret: VoteSecret) -> MsgRevealVote:
    """The ``MsgRevealVote`` of ``secret`` (its field bounds are the msg's own: the chain's coded error if not)."""
    return convert({"juror": secret.juror, "dispute_id": secret.dispute_id, "round": secret.round,
                    "choice": secret.choice, "magnitude": secret.magnitude, "reason": secret.reason,
                    "salt": bytes.fromhex(secret.salt)}, MsgRevealVote)


def get_current_round(dispute: dict[str, Any]) -> int:
    """The index of a dispute's current (last) round, from its query JSON."""
    return len(dispute["rounds"]) - 1


# ---- the store -----------------------------------------------------------------------------------------------------
class VoteSecretStore:
    """Vote secrets under ``<home>/court-votes`` (see the module docstring)."""

    def __init__(self, home: Path | str) -> None:
        self.root = Path(home).expanduser() / SECRETS_DIR

    def path(self, chain_id: str, dispute_id: int, round_index: int, juror: str) -> Path:
        """Where the secret of this vote is kept."""
        if not CHAIN_ID_PATTERN.fullmatch(chain_id):
            raise VoteSecretError(f"chain id {chain_id!r} cannot name a directory")
        return self.root / chain_id / f"{int(dispute_id)}-{int(round_index)}-{Address(juror)}.json"

    def save(self, secret: VoteSecret) -> Path:
        """Write ``secret`` (0600, atomically, fsync'd); an identical vote already stored keeps its file."""
        path = self.path(secret.chain_id, secret.dispute_id, secret.round, secret.juror)
        if path.exists():
            stored = self.read(path)
            if stored == secret:
                return path
            raise VoteSecretError(f"a different vote of {secret.juror} for dispute {secret.dispute_id} round "
                                  f"{secret.round} is already stored in {path}; remove it first if that commit "
                                  f"never reached the chain")
        for directory in (self.root, path.parent):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            directory.chmod(0o700)
        write_private_file(path, json.dumps(asdict(secret), indent=2, sort_keys=True).encode() + b"\n")
        return path

    def load(self, chain_id: str, dispute_id: int, round_index: int, juror: str) -> VoteSecret:
        """The stored secret of this vote, or ``VoteSecretError`` if there is none."""
        secret = self.find(chain_id, dispute_id, round_index, juror)
        if secret is None:
            raise VoteSecretError(f"no stored vote of {juror} for dispute {dispute_id} round {round_index} on "
                                  f"{chain_id} (in {self.root}); give its salt, choice, magnitude and reason")
        return secret

    def find(self, chain_id: str, dispute_id: int, round_index: int, juror: str) -> VoteSecret | None:
        """The stored secret of this vote, if any."""
        path = self.path(chain_id, dispute_id, round_index, juror)
        return self.read(path) if path.exists() else None

    def list(self) -> list[VoteSecret]:
        """Every stored secret, by chain id, dispute, round and juror."""
        if not self.root.is_dir():
            return []
        found = [self.read(p) for p in sorted(self.root.glob("*/*.json"))]
        return sorted(found, key=lambda s: (s.chain_id, s.dispute_id, s.round, s.juror))

    def remove(self, chain_id: str, dispute_id: int, round_index: int, juror: str) -> bool:
        """Delete the secret of this vote; False if there was none."""
        path = self.path(chain_id, dispute_id, round_index, juror)
        if not path.exists():
            return False
        path.unlink()
        return True

    @staticmethod
    def read(path: Path) -> VoteSecret:
        """One secret file."""
        try:
            return VoteSecret(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError) as exc:
            raise VoteSecretError(f"unreadable vote secret {path}: {exc}") from None


# ---- txs -----------------------------------------------------------------------------------------------------------
def commit_vote(client: Client, key: PrivateKey, store: VoteSecretStore, dispute_id: int, choice: int,
                magnitude: int, reason: str, round_index: int | None = None, chain_id: str | None = None,
                **tx: Any) -> tuple[dict[str, Any], VoteSecret]:
    """Commit a vote on the dispute's current round (or ``round_index``): draw the salt, build and simulate the tx,
    store the secret, then sign and broadcast. Returns the broadcast result and the stored secret. ``tx`` takes
    :func:`send_msgs`' options (fee, gas, gas_adjustment, memo, mode, timeout_height)."""
    chain_id, round_index, juror = get_vote_target(client, key, dispute_id, round_index, chain_id)
    secret = prepare_vote_secret(store, chain_id, dispute_id, round_index, juror, choice, magnitude, reason)
    result = send_msgs(client, key, [make_commit(secret)], chain_id=chain_id,
                       before_broadcast=lambda body: store.save(secret), **tx)
    return result, secret


def get_vote_target(client: Client, key: PrivateKey, dispute_id: int, round_index: int | None,
                    chain_id: str | None) -> tuple[str, int, str]:
    """(chain id, round, juror address) of a vote by ``key``: the node's chain and the dispute's current round
    unless given."""
    chain_id = chain_id or client.status()["chain_id"]
    if round_index is None:
        round_index = get_current_round(client.court_dispute(dispute_id))
    return chain_id, round_index, str(Address.from_raw(key.public_key.address))


def prepare_vote_secret(store: VoteSecretStore, chain_id: str, dispute_id: int, round_index: int, juror: str,
                        choice: int, magnitude: int, reason: str) -> VoteSecret:
    """The secret to commit: the same vote already stored (a retried commit keeps its salt), else a new draw. It is
    not written yet: :meth:`VoteSecretStore.save` it just before the broadcast."""
    secret = draw_vote_secret(chain_id, dispute_id, round_index, juror, choice, magnitude, reason)
    stored = store.find(chain_id, dispute_id, round_index, juror)
    return stored if stored is not None and stored.same_vote(secret) else secret


def reveal_vote(client: Client, key: PrivateKey, store: VoteSecretStore, dispute_id: int,
                round_index: int | None = None, chain_id: str | None = None, keep: bool = False,
                salt: str | None = None, choice: int | None = None, magnitude: int | None = None,
                reason: str | None = None, **tx: Any) -> tuple[dict[str, Any], VoteSecret]:
    """Reveal the stored vote on the dispute's current round (or ``round_index``). ``salt`` (hex), ``choice``,
    ``magnitude`` and ``reason`` replace the stored fields, or must all be given when nothing is stored. A reveal
    committed with code 0 removes the stored secret unless ``keep``. ``tx``: :func:`send_msgs`' options."""
    chain_id, round_index, juror = get_vote_target(client, key, dispute_id, round_index, chain_id)
    overrides = {"salt": salt, "choice": choice, "magnitude": magnitude, "reason": reason}
    secret = resolve_secret(store, chain_id, dispute_id, round_index, juror, overrides)
    result = send_msgs(client, key, [make_reveal(secret)], chain_id=chain_id, **tx)
    if not keep and is_committed(result):
        store.remove(chain_id, dispute_id, round_index, juror)
    return result, secret


def is_committed(result: dict[str, Any]) -> bool:
    """True if a broadcast result is a tx committed in a block with code 0."""
    return result.get("code") == 0 and result.get("height", 0) > 0


def resolve_secret(store: VoteSecretStore, chain_id: str, dispute_id: int, round_index: int, juror: str,
                   overrides: dict[str, Any]) -> VoteSecret:
    """The stored secret with ``overrides`` applied; without a stored one, all four fields must be given."""
    given = {name: value for name, value in overrides.items() if value is not None}
    stored = store.find(chain_id, dispute_id, round_index, juror)
    if stored is not None:
        return replace(stored, **given)
    missing = [name for name in ("salt", "choice", "magnitude", "reason") if name not in given]
    if missing:
        store.load(chain_id, dispute_id, round_index, juror)  # raises: nothing stored
    return VoteSecret(chain_id, dispute_id, round_index, juror, **given)
