"""Analyses over records a View may see: resolution, network, chemistry, rules, ..."""
