"""Periods, observations and where they come from (forms and returns come later)."""
