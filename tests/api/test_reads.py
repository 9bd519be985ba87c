"""Reads over HTTP: status, blocks, accounts, bank, generic queries with proofs, docs and the web page."""
from __future__ import annotations

from suretychain.core.proof import decode_proof, verify_membership
from suretychain.node.devnet.home import DEFAULT_CHAIN_ID, DEMO_USRT

from api_helpers import assert_error

BAD_ADDRESS = "sure1notanaddress"


def test_status(chain):
    status = chain.http.get("/status").json()
    assert set(status) == {"chain_id", "latest_height", "latest_app_hash", "latest_block_time",
                           "latest_block_time_ns", "earliest_height", "mempool_size", "catching_up", "node"}
    assert status["chain_id"] == DEFAULT_CHAIN_ID
    assert status["latest_height"] >= 1 and status["earliest_height"] == 1
    assert len(bytes.fromhex(status["latest_app_hash"])) == 32
    assert status["latest_block_time"].endswith("Z") and status["latest_block_time_ns"] > 0
    assert (status["mempool_size"], status["catching_up"], status["node"]) == (0, False, "devnet")


def test_blocks(chain):
    latest = chain.http.get("/blocks/latest").json()
    assert set(latest) == {"height", "hash", "time", "time_ns", "proposer", "app_hash", "txs", "events"}
    assert chain.http.get(f"/blocks/{latest['height']}").json() == latest
    assert latest["app_hash"] == chain.http.get("/status").json()["latest_app_hash"]
    assert len(bytes.fromhex(latest["hash"])) == 32 and len(bytes.fromhex(latest["proposer"])) == 20


def test_invalid_block_heights(chain):
    assert_error(chain.http.get("/blocks/999999"), 404, "sdk", 26)
    assert_error(chain.http.get("/blocks/0"), 404, "sdk", 26)
    assert_error(chain.http.get(f"/blocks/{10**30}"), 404, "sdk", 26)
    assert_error(chain.http.get("/blocks/abc"), 400, "api", 400)


def test_account_and_balances(chain):
    alice = chain.wallets["alice"].address
    account = chain.http.get(f"/accounts/{alice}").json()
    assert account == {"address": alice, "public_key": "", "sequence": 0}
    balances = chain.http.get(f"/bank/balances/{alice}").json()
    assert balances["address"] == alice
    assert {"denom": "usrt", "amount": DEMO_USRT} in balances["coins"]
    assert chain.http.get(f"/bank/balances/{alice}/usrt").json() == {"denom": "usrt", "amount": DEMO_USRT}
    assert chain.http.get(f"/bank/balances/{alice}/unknowndenom").json() == {"denom": "unknowndenom", "amount": 0}
    supply = chain.http.get("/bank/supply", params={"denom": "usrt"}).json()
    assert supply["supply"][0]["denom"] == "usrt" and supply["supply"][0]["amount"] >= 5 * DEMO_USRT
    assert {c["denom"] for c in chain.http.get("/bank/supply").json()["supply"]} >= {"usrt", "uusd"}


def test_invalid_addresses(chain):
    for path in (f"/accounts/{BAD_ADDRESS}", f"/bank/balances/{BAD_ADDRESS}", f"/bank/balances/{BAD_ADDRESS}/usrt",
                 f"/query/bank/balances?address={BAD_ADDRESS}"):
        assert_error(chain.http.get(path), 400, "sdk", 7)
    response = chain.http.post("/query/bank/balances", json={"request": {"address": BAD_ADDRESS}})
    assert_error(response, 400, "sdk", 7)


def test_query_with_proofs(chain):
    alice = chain.wallets["alice"].address
    answer = chain.http.get("/query/bank/balance",
                            params={"address": alice, "denom": "usrt", "prove": "true"}).json()
    assert answer["value"] == {"denom": "usrt", "amount": DEMO_USRT}
    assert answer["proofs"], "prove=true must return the proofs of the keys read"
    app_hash = bytes.fromhex(chain.http.get(f"/blocks/{answer['height']}").json()["app_hash"])
    for read in answer["proofs"]:
        assert read["value"] is not None
        verify_membership(app_hash, bytes.fromhex(read["key"]), bytes.fromhex(read["value"]),
                          decode_proof(bytes.fromhex(read["proof"])))
    unproven = chain.http.get("/query/bank/balance", params={"address": alice, "denom": "usrt"}).json()
    assert unproven["proofs"] == [] and unproven["value"] == answer["value"]


def test_post_query(chain):
    alice = chain.wallets["alice"].address
    height = chain.http.get("/status").json()["latest_height"]
    answer = chain.http.post("/query/auth/account", json={"height": height, "prove": True,
                                                           "request": {"address": alice}}).json()
    assert answer["height"] == height and answer["value"]["address"] == alice and answer["proofs"]


def test_invalid_queries(chain):
    alice = chain.wallets["alice"].address
    assert_error(chain.http.get("/query/bank/balances", params={"address": alice, "height": 10**9}), 404, "sdk", 26)
    assert_error(chain.http.get("/query/nosuch/route"), 404, "sdk", 6)
    assert_error(chain.http.get("/query/bank/balances"), 400, "sdk", 2)  # missing field
    assert_error(chain.http.post("/query/bank/balance", json={"request": {"address": alice, "denom": 5}}),
                 400, "sdk", 2)
    assert_error(chain.http.get("/query/bank/balances", params={"address": alice, "height": -1}), 400, "api", 400)
    assert_error(chain.http.get(f"/bank/balances/{alice}", params={"height": 10**9}), 404, "sdk", 26)


def test_unknown_url_and_bad_body(chain):
    assert_error(chain.http.get("/nosuch"), 404, "api", 404)
    assert_error(chain.http.post("/txs", json={"mode": "sync"}), 400, "api", 400)
    assert_error(chain.http.get("/txs"), 400, "api", 400)  # event is required


def test_openapi_lists_every_route(chain):
    paths = chain.http.get("/openapi.json").json()["paths"]
    for path in ("/status", "/blocks/latest", "/blocks/{height}", "/txs", "/txs/simulate", "/txs/{tx_hash}",
                 "/accounts/{address}", "/bank/balances/{address}", "/bank/balances/{address}/{denom}",
                 "/bank/supply", "/query/{module}/{route}", "/stream", "/metrics"):
        assert path in paths, path
    assert set(paths["/txs"]) == {"get", "post"} and set(paths["/query/{module}/{route}"]) == {"get", "post"}
    assert chain.http.get("/docs").status_code == 200


def test_web_page(chain):
    page = chain.http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>Surety devnet</title>" in page.text
    script = chain.http.get("/static/app.js")
    assert script.status_code == 200 and "EventSource" in script.text
