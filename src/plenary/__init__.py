"""Plenary: electronic working methods for an intergovernmental organisation."""

__version__ = "0.1.0"
