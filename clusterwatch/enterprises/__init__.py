"""Enterprises: the unified social credit code now; the register, tiers and evaluation later."""
