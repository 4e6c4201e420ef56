"""Command-line adapters: one module per noun. They turn arguments into service calls and
domain errors into German one-line messages. The services (and with them SQLAlchemy) are
imported inside the command functions, so `--help` stays fast."""
