"""Users, roles, sign-in sessions and the permissions the service layer checks."""
