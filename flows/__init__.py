"""Prefect flows: thin orchestration over the use cases (deployments in ``prefect.yaml``)."""
