"""Controlling of the recommendations (Handlungsempfehlungen) of strategic social planning."""

__version__ = "0.1.0"
