"""The floor of a Python ABCI app on this machine: Surety's ABCI server with an app that only checks signatures.

    python -m bench.abci_floor --address tcp://127.0.0.1:26658

``bench.testnet_throughput --floor`` runs it on every node of a testnet, in place of ``surety node start``, and
loads it with the same signed Surety sends. It answers as little as an app can while still refusing forged txs:

- CheckTx (new): decode the tx, check its ed25519 signature (PyNaCl, as the App does), answer code 0 or 1;
- CheckTx (recheck): code 0 at once (a tx's signature does not change);
- PrepareProposal: the proposed txs as given, up to ``max_tx_bytes``; ProcessProposal: accept;
- FinalizeBlock: one code-0 result per tx, app hash = sha256(previous app hash, the block's tx hashes);
- Commit, Info, InitChain: no state on disk, nothing to replay (the bench never restarts a node).

No accounts, sequences, fees, state tree or events: what is left is the socket server, the protobuf work and one
signature check per tx per node, which every Surety node also pays. The committed tx/s of this app against
kvstore's is therefore an upper bound on what any Python app checking its txs' signatures gets from this
CometBFT on this machine (docs/cometbft.md, "The floor").
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging

from suretychain.core.crypto import PublicKey
from suretychain.core.encoding import Decoder
from suretychain.core.tx import Tx, compute_sign_bytes
from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.server import AbciServer


class FloorApplication:
    """The ABCI calls answered with signature checks only (module docstring); same interface as AbciApplication."""

    def __init__(self) -> None:
        self.decoder = Decoder(Tx)
        self.height = 0
        self.app_hash = b""
        self.last_finalized_height = 0

    def prefetch_check_tx(self, requests: list[pb.Request]) -> None:
        """Nothing to prefetch: signatures are checked inline."""

    def handle(self, request: pb.Request) -> pb.Response:
        kind = request.WhichOneof("value")
        return getattr(self, f"process_{kind}")(getattr(request, kind))

    def process_flush(self, req: pb.FlushRequest) -> pb.Response:
        return pb.Response(flush=pb.FlushResponse())

    def process_echo(self, req: pb.EchoRequest) -> pb.Response:
        return pb.Response(echo=pb.EchoResponse(message=req.message))

    def process_info(self, req: pb.InfoRequest) -> pb.Response:
        return pb.Response(info=pb.InfoResponse(data="surety-floor", last_block_height=self.height,
                                                last_block_app_hash=self.app_hash))

    def process_init_chain(self, req: pb.InitChainRequest) -> pb.Response:
        return pb.Response(init_chain=pb.InitChainResponse())

    def process_query(self, req: pb.QueryRequest) -> pb.Response:
        return pb.Response(query=pb.QueryResponse(code=1, log="the floor app answers no queries"))

    def process_check_tx(self, req: pb.CheckTxRequest) -> pb.Response:
        if req.type == pb.RECHECK:
            return pb.Response(check_tx=pb.CheckTxResponse(code=0))
        try:
            tx = self.decoder.decode(req.tx)
            valid = PublicKey(tx.body.public_key).verify(compute_sign_bytes(tx.body), tx.signature)
        except Exception:  # noqa: BLE001 - any undecodable tx is refused
            valid = False
        return pb.Response(check_tx=pb.CheckTxResponse(code=0 if valid else 1, log="" if valid else "bad tx"))

    def process_prepare_proposal(self, req: pb.PrepareProposalRequest) -> pb.Response:
        txs, room = [], req.max_tx_bytes
        for tx in req.txs:
            room -= len(tx)
            if room < 0:
                break
            txs.append(tx)
        return pb.Response(prepare_proposal=pb.PrepareProposalResponse(txs=txs))

    def process_process_proposal(self, req: pb.ProcessProposalRequest) -> pb.Response:
        return pb.Response(process_proposal=pb.ProcessProposalResponse(status=pb.VERDICT_ACCEPT))

    def process_extend_vote(self, req: pb.ExtendVoteRequest) -> pb.Response:
        return pb.Response(extend_vote=pb.ExtendVoteResponse())

    def process_verify_vote_extension(self, req: pb.VerifyVoteExtensionRequest) -> pb.Response:
        return pb.Response(verify_vote_extension=pb.VerifyVoteExtensionResponse(status=pb.VERDICT_ACCEPT))

    def process_finalize_block(self, req: pb.FinalizeBlockRequest) -> pb.Response:
        digest = hashlib.sha256(self.app_hash)
        for tx in req.txs:
            digest.update(hashlib.sha256(tx).digest())
        response = pb.Response()
        answer = response.finalize_block
        add_result = answer.tx_results.add
        for _ in req.txs:
            add_result()
        self.app_hash = answer.app_hash = digest.digest()
        self.last_finalized_height = req.height
        return response

    def process_commit(self, req: pb.CommitRequest) -> pb.Response:
        self.height = self.last_finalized_height
        return pb.Response(commit=pb.CommitResponse())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--address", required=True, help="tcp://HOST:PORT, the node's ABCI address")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    async def serve() -> None:
        server = AbciServer(FloorApplication(), args.address)  # type: ignore[arg-type]
        await server.start()
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
