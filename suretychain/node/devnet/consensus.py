"""The devnet's simulated consensus: its validators sign votes, their votes form each block's decided last commit,
validator updates take effect two heights later (as in CometBFT), and faults are injected on demand.

Votes here use the devnet's own sign bytes (``sha256("surety-devnet-vote\\0" || chain id || height || round ||
block hash)``), signed with each validator's real ed25519 consensus key and verified before they count. On a CometBFT
network the engine builds commits and duplicate-vote evidence itself, from its protobuf ``CanonicalVote``; the App
sees the same ``VoteInfo`` and ``Misbehavior`` either way.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from suretychain.core.context import Misbehavior, VoteInfo
from suretychain.core.crypto import PrivateKey, PublicKey, address_of

VOTE_DOMAIN = b"surety-devnet-vote\x00"

ValidatorSet = dict[bytes, tuple[bytes, int]]  # consensus address -> (public key, power)


@dataclass(frozen=True)
class Vote:
    """A precommit for ``block_hash`` at ``height``/``round`` by the validator with ``public_key``."""

    chain_id: str
    height: int
    round: int
    block_hash: bytes
    public_key: bytes
    signature: bytes


def compute_vote_sign_bytes(chain_id: str, height: int, round_: int, block_hash: bytes) -> bytes:
    """What a validator signs to vote for a block."""
    return hashlib.sha256(VOTE_DOMAIN + chain_id.encode() + b"\x00" + height.to_bytes(8, "big")
                          + round_.to_bytes(4, "big") + block_hash).digest()


def sign_vote(key: PrivateKey, chain_id: str, height: int, block_hash: bytes, round_: int = 0) -> Vote:
    """A validator's signed vote."""
    signature = key.sign(compute_vote_sign_bytes(chain_id, height, round_, block_hash))
    return Vote(chain_id, height, round_, block_hash, key.public_key.raw, signature)


def is_valid_vote(vote: Vote) -> bool:
    """The signature verifies under the vote's public key."""
    return PublicKey(vote.public_key).verify(
        compute_vote_sign_bytes(vote.chain_id, vote.height, vote.round, vote.block_hash), vote.signature)


def is_duplicate_vote(a: Vote, b: Vote) -> bool:
    """Two valid votes by one validator for different blocks at the same height and round: equivocation."""
    return (a.public_key == b.public_key and a.chain_id == b.chain_id and a.height == b.height
            and a.round == b.round and a.block_hash != b.block_hash and is_valid_vote(a) and is_valid_vote(b))


def compute_last_commit(keys: dict[bytes, PrivateKey], valset: ValidatorSet, chain_id: str, height: int,
                        block_hash: bytes, offline: dict[bytes, int]) -> tuple[VoteInfo, ...]:
    """The decided last commit for the block after ``height``: each validator of ``valset`` signs ``block_hash``
    unless offline then (or its key is not held here); only verified signatures count."""
    votes = []
    for address, (_, power) in sorted(valset.items()):
        key = keys.get(address)
        signed = False
        if key is not None and offline.get(address, -1) < height:
            signed = is_valid_vote(sign_vote(key, chain_id, height, block_hash))
        votes.append(VoteInfo(address=address, power=power, signed=signed))
    return tuple(votes)


def make_duplicate_vote_evidence(key: PrivateKey, valset: ValidatorSet, chain_id: str, height: int, time_ns: int,
                                 block_hash: bytes) -> Misbehavior:
    """Equivocate with ``key`` at ``height`` (a vote for the real block and one for a conflicting block), check the
    pair as consensus would, and return the misbehavior to put in the next block."""
    honest = sign_vote(key, chain_id, height, block_hash)
    conflicting = sign_vote(key, chain_id, height, hashlib.sha256(b"conflicting:" + block_hash).digest())
    if not is_duplicate_vote(honest, conflicting):
        raise ValueError("the two votes are not a valid duplicate-vote pair")
    address = address_of(key.public_key.raw)
    if address not in valset:
        raise ValueError(f"validator {address.hex()} was not in the set at height {height}")
    return Misbehavior(kind="duplicate_vote", validator_address=address, validator_power=valset[address][1],
                       height=height, time_ns=time_ns, total_voting_power=sum(p for _, p in valset.values()))


def choose_proposer(valset: ValidatorSet, height: int) -> bytes:
    """Round-robin over the set in address order (CometBFT weights by power; the devnet keeps it simple)."""
    if not valset:
        return b""
    addresses = sorted(valset)
    return addresses[height % len(addresses)]


def apply_updates(valset: ValidatorSet, updates: list[tuple[bytes, int]]) -> ValidatorSet:
    """The set after ``updates`` (power 0 removes)."""
    following = dict(valset)
    for pub_key, power in updates:
        if power == 0:
            following.pop(address_of(pub_key), None)
        else:
            following[address_of(pub_key)] = (pub_key, power)
    return following
