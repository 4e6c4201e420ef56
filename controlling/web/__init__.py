"""The web application: a thin adapter over the services, like controlling/commands/.
`create_app(db_url)` in app.py builds it; `controlling serve` runs it on uvicorn."""
