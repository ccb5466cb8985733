"""relative targets (a multiple of a base year) and a progress method per target

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 18:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('method', sa.String(length=20), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_targets_measure'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_targets_measure'), "measure IN ('level', 'cagr', 'relative')")


def downgrade() -> None:
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_targets_measure'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_targets_measure'), "measure IN ('level', 'cagr')")
        batch_op.drop_column('method')
        batch_op.drop_column('base_year')
