"""HTTP client of a Surety node (the contract is ``docs/api.md``): reads, queries with proofs, simulate, broadcast.

Answers are the API's JSON (plain dicts), except :meth:`Client.query`, which returns a :class:`QueryAnswer` with the
proven reads decoded to bytes. An error body ``{"error": {codespace, code, message}}`` is raised as the chain's own
:class:`~suretychain.core.errors.SuretyError` (same codespace and code); a node that cannot be reached, or that
answers outside the contract, raises :class:`ClientError`.
"""
from __future__ import annotations

import base64
import dataclasses
from typing import Any
from urllib.parse import quote

import httpx

from suretychain.core.app import ProvenRead
from suretychain.core.errors import SuretyError

DEFAULT_NODE = "http://127.0.0.1:1317"
DEFAULT_TIMEOUT_S = 45.0  # a commit-mode broadcast waits up to 30 s for its block on the node
BROADCAST_MODES = ("sync", "commit")


class ClientError(Exception):
    """The node could not be reached, or answered something that is not in the API contract."""


@dataclasses.dataclass(frozen=True)
class QueryAnswer:
    """A query answer: the JSON value, the height it was read at and the proven reads (when asked with prove).

    ``app_hash`` is set by :meth:`Client.query_verified`: the root every proof was checked against.
    """

    value: Any
    height: int
    proofs: list[ProvenRead]
    app_hash: bytes | None = None


class Client:
    """A synchronous client of one node's HTTP API."""

    def __init__(self, base_url: str = DEFAULT_NODE, timeout: float = DEFAULT_TIMEOUT_S,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- chain ------------------------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """``{chain_id, latest_height, latest_app_hash, latest_block_time, ...}``."""
        return self._get("/status")

    def block(self, height: int | None = None) -> dict[str, Any]:
        """The block at ``height`` (latest if None); its ``app_hash`` is the state root after it."""
        return self._get("/blocks/latest" if height is None else f"/blocks/{int(height)}")

    def tx(self, hash_hex: str) -> dict[str, Any]:
        """A committed tx with its result."""
        return self._get(f"/txs/{_segment(hash_hex)}")

    def search_txs(self, event: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Committed txs with an event attribute ``module.Type.key=value`` (or ``tx.height=N``)."""
        return self._get("/txs", params={"event": event, "limit": limit, "offset": offset})["txs"]

    # ---- accounts and bank ------------------------------------------------------------------------------------
    def account(self, address: str) -> dict[str, Any]:
        """``{address, public_key, sequence}``."""
        return self._get(f"/accounts/{_segment(address)}")

    def balance(self, address: str, denom: str) -> dict[str, Any]:
        """``{denom, amount}``."""
        return self._get(f"/bank/balances/{_segment(address)}/{_segment(denom)}")

    def balances(self, address: str) -> dict[str, Any]:
        """``{address, coins: [{denom, amount}]}``."""
        return self._get(f"/bank/balances/{_segment(address)}")

    def supply(self, denom: str = "") -> dict[str, Any]:
        """``{supply: [{denom, amount}]}``, of one denom or all."""
        return self._get("/bank/supply", params={"denom": denom} if denom else None)

    # ---- staking ----------------------------------------------------------------------------------------------
    def validators(self, status: str = "") -> dict[str, Any]:
        """``{validators: [Validator]}``: every validator, or those of one status (bonded, unbonding, unbonded)."""
        return self._get("/staking/validators", params={"status": status} if status else None)

    def validator(self, valoper: str) -> dict[str, Any]:
        """One validator by operator address: keys (hex), description, commission, tokens, shares, status, jail."""
        return self._get(f"/staking/validators/{_segment(valoper)}")

    def delegation(self, delegator: str, valoper: str) -> dict[str, Any]:
        """``{delegation: {delegator, validator, shares}, balance}`` (balance: the tokens the shares are worth)."""
        return self._get(f"/staking/delegations/{_segment(delegator)}/{_segment(valoper)}")

    def delegations(self, delegator: str) -> dict[str, Any]:
        """``{delegations: [{delegation, balance}]}``."""
        return self._get(f"/staking/delegations/{_segment(delegator)}")

    def unbonding_delegations(self, delegator: str) -> dict[str, Any]:
        """``{unbonding_delegations: [{delegator, validator, entries}]}``."""
        return self._get(f"/staking/unbonding/{_segment(delegator)}")

    def redelegations(self, delegator: str) -> dict[str, Any]:
        """``{redelegations: [{delegator, src_validator, dst_validator, entries}]}``."""
        return self._get(f"/staking/redelegations/{_segment(delegator)}")

    def staking_pool(self) -> dict[str, Any]:
        """``{bonded_tokens, not_bonded_tokens}``."""
        return self._get("/staking/pool")

    def staking_params(self) -> dict[str, Any]:
        """The staking params."""
        return self._get("/staking/params")

    # ---- slashing ---------------------------------------------------------------------------------------------
    def signing_infos(self) -> dict[str, Any]:
        """``{signing_infos: [{consensus_address, operator, missed_blocks_counter, jailed_until_ns, ...}]}``."""
        return self._get("/slashing/signing-infos")

    def signing_info(self, validator: str) -> dict[str, Any]:
        """One signing info, by operator address (``surevaloper1...``) or consensus address (hex)."""
        return self._get(f"/slashing/signing-infos/{_segment(validator)}")

    def slashing_params(self) -> dict[str, Any]:
        """The slashing params."""
        return self._get("/slashing/params")

    # ---- distribution -----------------------------------------------------------------------------------------
    def rewards(self, delegator: str, valoper: str | None = None) -> dict[str, Any]:
        """``{rewards: [{validator, reward: [DecCoin]}], total: [DecCoin]}``: unpaid rewards (from one validator if
        given); a ``DecCoin`` is ``{denom, amount}`` with the amount a decimal string."""
        path = f"/distribution/rewards/{_segment(delegator)}"
        return self._get(path if valoper is None else f"{path}/{_segment(valoper)}")

    def commission(self, valoper: str) -> dict[str, Any]:
        """``{commission: [DecCoin]}``: a validator's unwithdrawn commission."""
        return self._get(f"/distribution/commission/{_segment(valoper)}")

    def outstanding_rewards(self, valoper: str) -> dict[str, Any]:
        """``{rewards: [DecCoin]}``: all a validator was allocated and has not paid (commission included)."""
        return self._get(f"/distribution/outstanding/{_segment(valoper)}")

    def withdraw_address(self, delegator: str) -> dict[str, Any]:
        """``{withdraw_address}``: where a delegator's rewards are paid."""
        return self._get(f"/distribution/withdraw-address/{_segment(delegator)}")

    def community_pool(self) -> dict[str, Any]:
        """``{pool: [DecCoin]}``."""
        return self._get("/distribution/community-pool")

    def distribution_params(self) -> dict[str, Any]:
        """The distribution params."""
        return self._get("/distribution/params")

    # ---- insurance --------------------------------------------------------------------------------------------
    def insurance_terms(self, valoper: str) -> dict[str, Any]:
        """``{terms: [Term]}``: a validator's current insurance terms, by id."""
        return self._get(f"/insurance/terms/{_segment(valoper)}")

    def insurances(self, delegator: str | None = None, valoper: str | None = None) -> dict[str, Any]:
        """``{insurances: [{insurance, finalized}]}``: of a delegator, a validator, both, or (neither) all."""
        return self._get("/insurance/insurances", params=_present(delegator=delegator, validator=valoper))

    def insurance_solvency(self, valoper: str, height: int = 0) -> dict[str, Any]:
        """``{validator, self_bond, total_refund, headroom, max_unbond, ...}`` at ``height`` (0 = latest). For the
        answer proven against that height's app hash use :meth:`query_verified` on ``insurance/solvency``."""
        return self._get(f"/insurance/solvency/{_segment(valoper)}", params=_present(height=height or None))

    def insurance_refunds(self, delegator: str | None = None, valoper: str | None = None) -> dict[str, Any]:
        """``{refunds: [{insurance_id, delegator, validator, refunded, shortfall}], total_refunded,
        total_shortfall}``."""
        return self._get("/insurance/refunds", params=_present(delegator=delegator, validator=valoper))

    # ---- court -------------------------------------------------------------------------------------------------
    # Court answers are the court module's query JSON, passed through (fields the module adds appear as they are);
    # commitments and evidence digests are hex. Optional filters are sent only when given.
    def court_params(self) -> dict[str, Any]:
        """The court module's params (``{denom, draw_delay_blocks, withdrawal_delay_ns, ...}``)."""
        return self._get("/court/params")

    def court_courts(self) -> dict[str, Any]:
        """``{courts: [{id, parent, name, params}]}``: the court tree, by id."""
        return self._get("/court/courts")

    def court_disputes(self, court: int | None = None, open_only: bool | None = None, limit: int | None = None,
                       start_after: int | None = None) -> dict[str, Any]:
        """``{disputes: [Dispute]}`` by id, optionally of one court (``court``), open ones only, paged."""
        return self._get("/court/disputes", params=_present(court=court, open_only=open_only, limit=limit,
                                                            start_after=start_after))

    def court_dispute(self, dispute_id: int) -> dict[str, Any]:
        """One dispute: parties, options, period, evidence, rounds (drawn jurors, votes once revealed), ruling."""
        return self._get(f"/court/disputes/{int(dispute_id)}")

    def court_votes(self, dispute_id: int, round_index: int) -> dict[str, Any]:
        """The votes of one round of a dispute (``court/votes``)."""
        return self._get(f"/court/disputes/{int(dispute_id)}/rounds/{int(round_index)}/votes")

    def court_juror(self, juror: str) -> dict[str, Any]:
        """``{juror: {juror, staked, locked, affiliations}, stakes, withdrawals, ...}`` (history and coherence
        totals too where the chain serves them)."""
        return self._get(f"/court/jurors/{_segment(juror)}")

    def court_juror_history(self, juror: str, limit: int | None = None,
                            start_after: str | None = None) -> dict[str, Any]:
        """``{history: [JurorRound], next_start_after}``: a page of the rounds a juror sat in, with its vote and what
        it gained or lost (``court/juror-history``); ``start_after`` is the previous page's ``next_start_after``
        (``"<dispute id>/<round>"``, empty on the last page)."""
        return self._get(f"/court/jurors/{_segment(juror)}/history",
                         params=_present(limit=limit, start_after=start_after))

    # ---- generic queries --------------------------------------------------------------------------------------
    def query(self, path: str, params: dict[str, Any] | None = None, height: int = 0,
              prove: bool = False) -> QueryAnswer:
        """Run ``<module>/<route>`` with the request fields ``params`` at ``height`` (0 = latest)."""
        body = {"height": height, "prove": prove, "request": params or {}}
        answer = self._request("POST", f"/query/{_path(path)}", json=body)
        try:
            proofs = [_proven_read(p) for p in answer.get("proofs") or []]
            return QueryAnswer(value=answer["value"], height=int(answer["height"]), proofs=proofs)
        except (KeyError, TypeError, ValueError) as exc:
            raise ClientError(f"malformed query answer from {self.base_url}: {exc}") from None

    def query_verified(self, path: str, params: dict[str, Any] | None = None, height: int = 0,
                       app_hash: bytes | None = None) -> QueryAnswer:
        """Query with proofs and verify them against ``app_hash``; raise ``ProofError`` if anything fails.

        Without ``app_hash`` the root is the ``app_hash`` of ``GET /blocks/{height}`` from this same node: that
        checks the answer against the node's own committed block, not against consensus (pass a trusted app hash,
        e.g. from a verified header, for that). :func:`suretychain.client.proofs.verify_query_answer` lists the checks.
        """
        from suretychain.client.proofs import verify_query_answer

        answer = self.query(path, params, height, prove=True)
        root = app_hash if app_hash is not None else bytes.fromhex(self.block(answer.height)["app_hash"])
        verify_query_answer(path, params or {}, answer, root, requested_height=height)
        return dataclasses.replace(answer, app_hash=root)

    # ---- txs --------------------------------------------------------------------------------------------------
    def simulate(self, tx_bytes: bytes) -> dict[str, Any]:
        """Run a tx against the latest state without committing it: ``{code, codespace, log, gas_used, ...}``."""
        return self._request("POST", "/txs/simulate", json={"tx": base64.b64encode(tx_bytes).decode()})

    def broadcast(self, tx_bytes: bytes, mode: str = "sync") -> dict[str, Any]:
        """Submit a signed tx; ``sync`` answers after CheckTx, ``commit`` after its block (``height`` > 0)."""
        if mode not in BROADCAST_MODES:
            raise ValueError(f"broadcast mode must be one of {', '.join(BROADCAST_MODES)}, got {mode!r}")
        return self._request("POST", "/txs", json={"tx": base64.b64encode(tx_bytes).decode(), "mode": mode})

    # ---- transport --------------------------------------------------------------------------------------------
    def devnet_fault(self, kind: str, validator: str, blocks: int | None = None) -> dict[str, Any]:
        """Inject a fault into an embedded devnet (``offline`` with ``blocks``, or ``double-sign``)."""
        body: dict[str, Any] = {"validator": validator}
        if blocks is not None:
            body["blocks"] = blocks
        return self._request("POST", f"/devnet/faults/{kind}", json=body)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._request("GET", path, params=params)

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise ClientError(f"node at {self.base_url} did not answer {method} {path} in time") from None
        except httpx.TransportError as exc:
            raise ClientError(f"cannot reach node at {self.base_url}: {exc}") from None
        return decode_response(response)


def decode_response(response: httpx.Response) -> Any:
    """The JSON of a successful answer; a coded error body raises the chain's ``SuretyError``."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and body is not None:
        return body
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("codespace"), str) and isinstance(error.get("code"), int):
        raise SuretyError(error["codespace"], error["code"], str(error.get("message", "")))
    raise ClientError(f"HTTP {response.status_code} from {response.request.url}: {response.text[:200]}")


def _proven_read(item: dict[str, Any]) -> ProvenRead:
    """One ``{key, value, proof}`` item of a query answer (hex; ``value`` null when the key is absent)."""
    value = item["value"]
    return ProvenRead(key=bytes.fromhex(item["key"]), value=None if value is None else bytes.fromhex(value),
                      proof=bytes.fromhex(item["proof"]))


def _present(**params: Any) -> dict[str, Any] | None:
    """The query parameters that are given (None if none is)."""
    given = {name: value for name, value in params.items() if value is not None}
    return given or None


def _segment(text: str) -> str:
    """``text`` as one URL path segment (so a malformed address reaches the node intact and is rejected there)."""
    return quote(str(text), safe="")


def _path(path: str) -> str:
    """A query path ``module/route`` with each part escaped."""
    return "/".join(_segment(part) for part in path.split("/"))
