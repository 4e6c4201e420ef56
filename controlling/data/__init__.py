"""Persistence layer: mapping, database set-up, repositories and the unit of work."""
