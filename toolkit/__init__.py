"""Judicial trainer curriculum toolkit: modules authored once, rendered per country."""

__version__ = "0.1.0"
