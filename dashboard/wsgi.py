"""The WSGI entry point for a production server: gunicorn 'dashboard.wsgi:create_server()'."""
from __future__ import annotations

from flask import Flask

from dashboard.app import create_app


def create_server() -> Flask:
    """The Flask server of create_app() with settings from OA_ variables (a factory, so importing
    this module builds nothing)."""
    return create_app().server
