"""Pure domain layer: vocabulary, workflow rules and errors. No SQLAlchemy, no click."""
