"""The ABCI socket server that lets CometBFT v0.38 drive the App (see ``docs/cometbft.md``)."""
