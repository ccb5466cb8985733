"""Users and their sign-in sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterwatch.tables import Base

ROLES = ("province_admin", "department", "reporter", "approver", "enterprise_reporter", "viewer")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('province_admin', 'department', 'reporter', 'approver', 'enterprise_reporter', 'viewer')",
            name="role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # Reporters and approvers act for a region and everything below it; a department user
    # for a department; an enterprise reporter for one enterprise (its USCC).
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), default=None)
    department: Mapped[str | None] = mapped_column(String(100), default=None)
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A signed-in browser. Only a hash of the token is stored: a leaked table signs no one in."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class SignInAttempt(Base):
    """A sign-in tried: by which name, from which address, when, and whether it worked. Failed
    attempts throttle the next ones (accounts/throttle.py) and are kept for the auditors."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)  # as typed, lower-cased and cut to 60
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
