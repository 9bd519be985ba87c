"""Regenerate ``surety_abci_pb2.py`` from ``surety_abci.proto`` (developers only: needs ``grpcio-tools``).

    pip install grpcio-tools==1.85.1 && python -m suretychain.node.abci.gen

grpcio-tools 1.85.1 bundles protoc 35.1, whose Python output requires protobuf >= 7.35.1 at run time (the range
pinned in pyproject.toml). Bump both together.
"""
from __future__ import annotations

from pathlib import Path


def main() -> None:
    from grpc_tools import protoc

    here = Path(__file__).parent
    status = protoc.main(["protoc", f"-I{here}", f"--python_out={here}", str(here / "surety_abci.proto")])
    raise SystemExit(status)


if __name__ == "__main__":
    main()
