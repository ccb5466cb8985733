"""Routes per capability: thin, each parses, calls one function, renders or returns JSON."""
