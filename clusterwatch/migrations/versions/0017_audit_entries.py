"""the audit trail of changes people make to firms, listings, forms, schemes, flags and users

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 21:10:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=60), nullable=True),
        sa.Column('subject', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('old', _json(), nullable=True),
        sa.Column('new', _json(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    op.create_index(op.f('ix_audit_entries_at'), 'audit_entries', ['at'], unique=False)
    op.create_index(op.f('ix_audit_entries_user_id'), 'audit_entries', ['user_id'], unique=False)
    op.create_index('ix_audit_entries_subject', 'audit_entries', ['subject', 'key'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_entries_subject', table_name='audit_entries')
    op.drop_index(op.f('ix_audit_entries_user_id'), table_name='audit_entries')
    op.drop_index(op.f('ix_audit_entries_at'), table_name='audit_entries')
    op.drop_table('audit_entries')
