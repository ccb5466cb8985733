"""Review of extracted plan facts: confirm, edit or reject each, then load the confirmed set."""
