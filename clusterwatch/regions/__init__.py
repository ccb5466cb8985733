"""The administrative tree: province, prefecture cities, and (later) counties, towns, parks."""
