"""sign-in attempts, kept to throttle guessing and for the auditors

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_in_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=60), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('succeeded', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_attempts')),
    )
    for column in ('username', 'address', 'at'):
        op.create_index(op.f(f'ix_sign_in_attempts_{column}'), 'sign_in_attempts', [column], unique=False)


def downgrade() -> None:
    for column in ('username', 'address', 'at'):
        op.drop_index(op.f(f'ix_sign_in_attempts_{column}'), table_name='sign_in_attempts')
    op.drop_table('sign_in_attempts')
