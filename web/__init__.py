"""The web app (FastAPI): the JSON API (api/), the staff pages and the members' signed-link pages (pages/)."""
