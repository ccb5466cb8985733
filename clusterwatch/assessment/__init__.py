"""Aggregation of observations and the progress of targets."""
