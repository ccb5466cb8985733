"""The audit trail: every change a person makes, with who, when, old, new and why."""
