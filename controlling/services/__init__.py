"""Services: one function per use case. They take plain values and a unit of work and return
plain data (dicts and lists) for the adapters (cli.py, reports/)."""
