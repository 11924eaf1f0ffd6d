"""Operational models of the twelve OA modules and ops (SQLAlchemy 2.0), plus the demo generator."""
