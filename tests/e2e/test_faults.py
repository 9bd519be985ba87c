"""Faults on a real 5-validator CometBFT testnet with a 10-block slashing window (issue tests 3 and 4).

Setup (module fixture): ``surety testnet init --validators 5 --slashing-window 10``; node4's and node3's operators
offer insurance terms (coverage 1, downtime and double sign); alice delegates to node4 and bob to node3, and each
insures the whole delegation. Then, in file order:

- downtime: node4 stays down past the window: it is jailed, slashed 1%, removed from CometBFT's set, and alice gets
  exactly the refund the insurance rules give for the on-chain figures of the slash;
- double sign: a twin node runs with node3's ``priv_validator_key.json`` (fresh ``priv_validator_state.json``);
  CometBFT sees node3's conflicting votes and commits DuplicateVoteEvidence in a block; the App slashes 5%,
  tombstones node3, removes it (CometBFT's ``validators`` no longer lists it) and refunds bob exactly.

Five validators so that after node4's jail the four left keep more than 2/3 of the power even while node3's two
signers disagree. Nothing reaches the App but through CometBFT.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from e2e_helpers import (
    Testnet, block_events, find_base_port, height_of, kill_node, query, rpc, send_tx, wait_for,
)
from suretychain.client.keyring import Keyring, mnemonic_to_private_key
from suretychain.core.crypto import address_of
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.tx import Coin
from suretychain.modules.insurance.types import MsgBuyInsurance, MsgCreateInsuranceTerm, PremiumRate
from suretychain.modules.staking.types import InfractionKind, MsgDelegate
from suretychain.node.cometbft.home import OPERATOR_KEY, NodeHome, read_consensus_pubkey
from suretychain.node.cometbft.testnet import add_node, start_node_process, start_testnet, stop_node_process
from suretychain.node.devnet.home import demo_accounts

CHAIN_ID = "surety-faults-1"
VALIDATORS = 5
WINDOW = 10
DOWN, TWINNED = 4, 3  # node4 goes offline, node3 gets a twin
DELEGATION = 1_000 * 10**6  # 1,000 SRT, all of it insured
DEMO = {a.name: mnemonic_to_private_key(a.mnemonic) for a in demo_accounts()}


def account(key) -> Address:
    return Address.from_raw(address_of(key.public_key.raw))


@pytest.fixture(scope="module")
def net(cometbft_binary, tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    base = find_base_port()
    cli = [sys.executable, "-m", "suretychain.cli.main", "testnet", "init", "--validators", str(VALIDATORS),
           "--home", str(root), "--chain-id", CHAIN_ID, "--base-port", str(base), "--snapshot-interval", "0",
           "--slashing-window", str(WINDOW), "--downtime-jail-duration", "60"]
    subprocess.run(cli, check=True, capture_output=True, timeout=120)
    net = Testnet(root, base)
    start_testnet(root)
    try:
        nodes = net.nodes
        wait_for(lambda: all(height_of(n) >= 2 for n in nodes), 120, "5 validators making blocks")
        net.insured = {DOWN: buy_insurance(net, DOWN, DEMO["alice"]), TWINNED: buy_insurance(net, TWINNED, DEMO["bob"])}
        yield net
    finally:
        for node in net.nodes:
            stop_node_process(NodeHome(Path(node.home)), grace_s=10)


def operator_of(net, index: int):
    return Keyring(net.home(index).root, backend="test").load_private_key(OPERATOR_KEY)


def valoper(net, index: int) -> ValAddress:
    return ValAddress.from_raw(account(operator_of(net, index)).raw)


def consensus_address(net, index: int) -> str:
    return hashlib.sha256(read_consensus_pubkey(net.home(index))).digest()[:20].hex()


def buy_insurance(net, index: int, delegator) -> dict:
    """The operator of node ``index`` offers a term; ``delegator`` delegates and insures all of it."""
    node = net.nodes[0]
    validator = valoper(net, index)
    term = MsgCreateInsuranceTerm(operator=account(operator_of(net, index)), coverage=Dec.from_str("1"),
                                  premium=[PremiumRate(denom="uusd", rate=Dec.from_str("0.001"))],
                                  duration_ns=3600 * 10**9,
                                  slashing_infractions=[InfractionKind.DOWNTIME, InfractionKind.DOUBLE_SIGN])
    reply = send_tx(node, operator_of(net, index), CHAIN_ID, [term])
    assert reply["code"] == 0, reply
    term_id = query(node, "insurance/terms", validator=str(validator))["terms"][0]["id"]
    msgs = [MsgDelegate(delegator=account(delegator), validator=validator, amount=Coin(denom="usrt", amount=DELEGATION)),
            MsgBuyInsurance(delegator=account(delegator), validator=validator, term_id=term_id,
                            insured_stake=DELEGATION)]
    reply = send_tx(node, delegator, CHAIN_ID, msgs)
    assert reply["code"] == 0, reply
    (insurance,) = query(node, "insurance/insurances", delegator=str(account(delegator)),
                         validator=str(validator))["insurances"]
    return {"id": insurance["insurance"]["id"], "delegator": account(delegator), "validator": validator,
            "insured_stake": insurance["insurance"]["insured_stake"]}


def find_punishment(node, address: str, reason: str, start: int) -> tuple[int, dict[str, str]]:
    """The first block from ``start`` whose events punish ``address`` for ``reason``."""
    top = height_of(node)
    for height in range(max(1, start), top + 1):
        for event in block_events(node, height, "slashing.ValidatorPunished"):
            if event["consensus_address"].lower() == address and event["reason"] == reason:
                return height, event
    raise AssertionError(f"no ValidatorPunished({reason}) for {address} in blocks {start}..{top}")


def expected_refund(node, insured: dict, height: int, burned: int) -> int:
    """The insurance rule (insurance README) on the on-chain figures: the validator and the delegation just before
    the slash block, the tokens the slash burned; coverage and refund weight are 1."""
    validator = query(node, "staking/validator", validator=str(insured["validator"]), height=height - 1)
    delegation = query(node, "staking/delegation", delegator=str(insured["delegator"]),
                       validator=str(insured["validator"]), height=height - 1)
    tokens_before = int(validator["tokens"])
    val_shares = Fraction(validator["delegator_shares"])
    shares = Fraction(delegation["delegation"]["shares"] if "delegation" in delegation else delegation["shares"])
    hit = int(shares * tokens_before / val_shares)
    loss = hit - int(shares * (tokens_before - burned) / val_shares)
    covered = min(int(insured["insured_stake"]), hit)
    assert burned > 0 and hit > 0
    return min(covered * burned // tokens_before, covered * loss // hit)


def check_refund(node, insured: dict, height: int, burned: int) -> int:
    """The refund paid at ``height`` equals the rule's, in the RefundPaid event, the balance and the record."""
    refund = expected_refund(node, insured, height, burned)
    assert refund > 0
    paid = [e for e in block_events(node, height, "insurance.RefundPaid")
            if e["insurance_id"] == str(insured["id"])]
    assert len(paid) == 1, paid
    assert paid[0]["amount"] in (str(refund), f"{refund}usrt"), (paid, refund)
    before = query(node, "bank/balance", address=str(insured["delegator"]), denom="usrt", height=height - 1)
    after = query(node, "bank/balance", address=str(insured["delegator"]), denom="usrt", height=height)
    assert int(after["amount"]) - int(before["amount"]) == refund
    refunds = query(node, "insurance/refunds", delegator=str(insured["delegator"]), height=height)
    (record,) = [r for r in refunds["refunds"] if r["insurance_id"] == insured["id"]]
    assert int(record["refunded"]) == refund and int(record["shortfall"]) == 0, record
    return refund


def comet_validators(node) -> set[str]:
    return {v["address"].lower() for v in rpc(node, "validators", per_page=100)["validators"]}


def test_downtime_jails_slashes_and_refunds_insured_delegator(net):
    nodes = net.nodes
    address = consensus_address(net, DOWN)
    assert address in comet_validators(nodes[0])
    start = height_of(nodes[0])
    kill_node(net.home(DOWN))
    validator = str(net.insured[DOWN]["validator"])
    wait_for(lambda: query(nodes[0], "staking/validator", validator=validator)["jailed"], 120,
             "node4 jailed for downtime")
    height, event = find_punishment(nodes[0], address, "downtime", start)
    assert Fraction(event["fraction"]) == Fraction(1, 100)
    burned = int(event["burned"])
    power = int(event["power"])
    assert burned == power * 10**6 // 100  # 1% of the power that signed
    refund = check_refund(nodes[0], net.insured[DOWN], height, burned)
    print(f"downtime: node4 punished at height {height}, burned {burned}, alice refunded {refund}")
    wait_for(lambda: address not in comet_validators(nodes[0]), 30, "node4 out of CometBFT's validator set")
    assert len(comet_validators(nodes[0])) == VALIDATORS - 1


def test_double_sign_through_cometbft_slashes_tombstones_and_refunds(net):
    nodes = net.nodes
    address = consensus_address(net, TWINNED)
    start = height_of(nodes[0])
    twin = add_node(net.root, state_sync=False, base_port=net.base_port)
    twin_home = NodeHome(Path(twin.home))
    key = net.home(TWINNED).cometbft / "config" / "priv_validator_key.json"
    shutil.copyfile(key, twin_home.cometbft / "config" / "priv_validator_key.json")  # state file stays fresh
    start_node_process(twin_home)
    validator = str(net.insured[TWINNED]["validator"])
    try:
        wait_for(lambda: query(nodes[0], "staking/validator", validator=validator)["tombstoned"], 180,
                 "node3 tombstoned for double signing")
    finally:
        stop_node_process(twin_home, grace_s=5)
    height, event = find_punishment(nodes[0], address, "double_sign", start)
    # the misbehavior came from CometBFT: the block carries node3's DuplicateVoteEvidence
    evidence = rpc(nodes[0], "block", height=height)["block"]["evidence"]["evidence"]
    duplicate = [e for e in evidence if e["type"] == "tendermint/DuplicateVoteEvidence"]
    assert duplicate, evidence
    vote_a, vote_b = duplicate[0]["value"]["vote_a"], duplicate[0]["value"]["vote_b"]
    assert vote_a["validator_address"].lower() == address == vote_b["validator_address"].lower()
    assert vote_a["block_id"]["hash"] != vote_b["block_id"]["hash"]
    assert Fraction(event["fraction"]) == Fraction(5, 100)
    burned = int(event["burned"])
    assert burned == int(event["power"]) * 10**6 * 5 // 100
    state = query(nodes[0], "staking/validator", validator=validator)
    assert state["jailed"] and state["tombstoned"]
    refund = check_refund(nodes[0], net.insured[TWINNED], height, burned)
    print(f"double sign: node3 punished at height {height}, burned {burned}, bob refunded {refund}")
    wait_for(lambda: address not in comet_validators(nodes[0]), 30, "node3 out of CometBFT's validator set")
    assert len(comet_validators(nodes[0])) == VALIDATORS - 2
    top = height_of(nodes[0])
    wait_for(lambda: all(height_of(n) >= top + 2 for n in nodes[:3]), 60, "the rest to go on")
