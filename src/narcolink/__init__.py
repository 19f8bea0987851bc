"""narcolink: counter-narcotics cooperation between agencies of two or more countries."""

__version__ = "0.1.0"
