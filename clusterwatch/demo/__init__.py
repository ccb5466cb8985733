"""The synthetic demo data set. Everything made here is labelled synthetic, wherever shown."""
