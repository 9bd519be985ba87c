"""Proof-of-stake block costs as ratios to one bank send, measured in one run.

    python -m bench.staking_costs [--validators 100] [--delegations 100000] [--sends 500]

Builds a genesis with ``--validators`` bonded validators and ``--delegations`` delegations spread over them (the
full staking state, as an export would carry it), then measures on the real App with an on-disk store:

* a bank send: a block of ``--sends`` signed sends, per send (decode, signature, ante, execution, commit share);
* an empty block: begin-block (reward allocation, liveness over the 100-validator commit) and end-block
  (validator-set update, queues) with every validator voting;
* a slash: a block carrying duplicate-vote evidence against the validator with the most delegations, minus an
  empty block.

Prints each as milliseconds and as a multiple of one bank send. No assertions: these machines are noisy.
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

from suretychain.app import make_app
from suretychain.core.app import BlockRequest
from suretychain.core.context import Misbehavior, VoteInfo
from suretychain.core.crypto import PrivateKey, address_of
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.genesis import GenesisDoc, encode_module_state
from suretychain.core.store import CommitStore
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import Balance, MsgSend
from suretychain.modules.bank.types import GenesisState as BankGenesis
from suretychain.modules.staking.types import Commission, Description, GenesisDelegation, GenesisValidator
from suretychain.modules.staking.types import GenesisState as StakingGenesis

SELF_BOND = 10**12
DELEGATION = 10**9


def key(tag: str) -> PrivateKey:
    return PrivateKey.from_seed(hashlib.sha256(tag.encode()).digest())


def build_genesis(validators: int, delegations: int, senders: int) -> tuple[GenesisDoc, list[PrivateKey], list[PrivateKey]]:
    """Validators and delegations created at genesis from funded accounts (every module's hooks run), and senders."""
    cons_keys = [key(f"bench-cons-{i}") for i in range(validators)]
    operators = [Address.from_raw(address_of(key(f"bench-op-{i}").public_key.raw)) for i in range(validators)]
    delegators = [Address.from_raw(hashlib.sha256(f"bench-del-{i}".encode()).digest()[:20]) for i in range(delegations)]
    created = [GenesisValidator(operator=operators[i], consensus_pubkey=cons_keys[i].public_key.raw,
                                vrf_pubkey=key(f"bench-vrf-{i}").public_key.raw, description=Description(moniker=f"v{i}"),
                                commission=Commission(rate=Dec.from_str("0.1"), max_rate=Dec.from_str("0.2"),
                                                      max_change_rate=Dec.from_str("0.01")),
                                min_self_delegation=1, self_bond=SELF_BOND) for i in range(validators)]
    delegated = [GenesisDelegation(delegator=d, validator=ValAddress.from_raw(operators[i % validators].raw),
                                   amount=DELEGATION) for i, d in enumerate(delegators)]
    send_keys = [key(f"bench-sender-{i}") for i in range(senders)]
    funded = [(Address.from_raw(address_of(k.public_key.raw)), 10**12) for k in send_keys]
    funded += [(op, SELF_BOND + 10**9) for op in operators] + [(d, DELEGATION) for d in delegators]
    balances = sorted((Balance(address=a, coins=[Coin(denom="usrt", amount=amount)]) for a, amount in funded),
                      key=lambda b: b.address.raw)
    staking = StakingGenesis(genesis_validators=created, genesis_delegations=delegated)
    doc = GenesisDoc(chain_id="bench", genesis_time="2026-01-01T00:00:00Z",
                     app_state={"bank": encode_module_state(BankGenesis(balances=balances)),
                                "staking": encode_module_state(staking)})
    return doc, cons_keys, send_keys


class Runner:
    """Drives the App block by block with every validator voting."""

    def __init__(self, app, doc: GenesisDoc, cons_keys: list[PrivateKey]) -> None:  # noqa: ANN001
        self.app = app
        result = app.init_chain(doc)
        self.powers = {address_of(pk): power for pk, power in result.validators}
        self.height, self.time_ns = 0, 1_767_225_600 * 10**9
        self.cons_keys = cons_keys

    def block(self, txs: list[bytes] = (), misbehavior: tuple = ()) -> float:  # type: ignore[assignment]
        self.height += 1
        self.time_ns += 5 * 10**9
        votes = tuple(VoteInfo(address=a, power=p, signed=True) for a, p in sorted(self.powers.items())) \
            if self.height > 1 else ()
        request = BlockRequest(height=self.height, time_ns=self.time_ns, txs=tuple(txs), last_commit=votes,
                               misbehavior=misbehavior)
        start = time.perf_counter()
        self.app.finalize_block(request)
        self.app.commit()
        return time.perf_counter() - start


def signed_sends(chain_id: str, senders: list[PrivateKey], sequence: int) -> list[bytes]:
    recipient = Address.from_raw(bytes(20))
    out = []
    for k in senders:
        sender = Address.from_raw(address_of(k.public_key.raw))
        msg = MsgSend(from_address=sender, to_address=recipient, amount=[Coin(denom="usrt", amount=1)])
        out.append(sign_tx(make_body(chain_id, [msg], sender, k.public_key.raw, sequence,
                                     Fee(amount=[Coin(denom="usrt", amount=200)], gas_limit=200_000)), k))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validators", type=int, default=100)
    parser.add_argument("--delegations", type=int, default=100_000)
    parser.add_argument("--sends", type=int, default=500)
    args = parser.parse_args()
    built = time.perf_counter()
    doc, cons_keys, senders = build_genesis(args.validators, args.delegations, args.sends)
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(CommitStore(str(Path(tmp) / "state.db"), keep_recent=10))
        runner = Runner(app, doc, cons_keys)
        runner.block()
        print(f"genesis: {args.validators} validators, {args.delegations:,} delegations "
              f"({time.perf_counter() - built:.1f} s to build and load)")
        send_times = [runner.block(signed_sends("bench", senders, seq)) / len(senders) for seq in range(3)]
        send = statistics.median(send_times)
        empty = statistics.median(runner.block() for _ in range(5))
        target = max(range(args.validators), key=lambda i: args.delegations // args.validators + (i < args.delegations % args.validators))
        cons = address_of(cons_keys[target].public_key.raw)
        evidence = Misbehavior(kind="duplicate_vote", validator_address=cons, validator_power=runner.powers[cons],
                               height=runner.height, time_ns=runner.time_ns, total_voting_power=sum(runner.powers.values()))
        slash = runner.block(misbehavior=(evidence,)) - empty
    print(f"bank send (per tx, in a block of {args.sends}): {send * 1e3:.3f} ms")
    print(f"empty block with {args.validators} votes (begin + end block, commit): {empty * 1e3:.2f} ms "
          f"= {empty / send:.1f} bank sends")
    print(f"slash of one validator (double sign, over an empty block): {slash * 1e3:.2f} ms = {slash / send:.1f} bank sends")


if __name__ == "__main__":
    main()
