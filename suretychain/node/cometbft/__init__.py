"""Running the App under CometBFT v0.38: the binary, node homes, the supervisor and the RPC-backed NodeBackend."""
