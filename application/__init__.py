"""Application services: Raati's use cases, each a plain function over a unit of work."""
