"""Persistence: SQLAlchemy tables, one repository module per aggregate, the unit of work and Alembic migrations."""
