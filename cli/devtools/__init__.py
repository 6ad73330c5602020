"""Development tools, not product code: the mail sink that catches Raati's mail on 127.0.0.1, the
reader of what it caught, and the local Prefect server that ``raati serve`` starts on the embedded
defaults. The command line and the tests use them; the flows, use cases and adapters never do."""
