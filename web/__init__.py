"""The web app: the JSON API and the dashboards (FastAPI)."""
