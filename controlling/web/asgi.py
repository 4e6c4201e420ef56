"""The ASGI application for a process manager (uvicorn --workers, gunicorn -k uvicorn):
`uvicorn controlling.web.asgi:app` on the database of CONTROLLING_DB."""

import os

from controlling.commands.context import DEFAULT_DB
from controlling.web.app import create_app

app = create_app(os.environ.get("CONTROLLING_DB") or DEFAULT_DB)
