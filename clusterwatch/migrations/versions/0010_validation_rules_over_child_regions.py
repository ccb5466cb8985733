"""validation rules over child regions

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 16:53:12.499595
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('validation_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=10), server_default='row', nullable=False))
        batch_op.add_column(sa.Column('tolerance', sa.Float(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('validation_rules', schema=None) as batch_op:
        batch_op.drop_column('tolerance')
        batch_op.drop_column('scope')

