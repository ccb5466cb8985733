"""The plan registry: clusters, layout, indicators and targets as cited facts."""
