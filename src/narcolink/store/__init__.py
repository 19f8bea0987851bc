"""Persistence: Store (engine and migrations), Writer (bulk, one transaction), View (one
agency's scoped reads) and the hash-chained audit log."""

from narcolink.store.base import Store

__all__ = ["Store"]
