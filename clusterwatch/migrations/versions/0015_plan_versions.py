"""every load of a plan kept: the file as loaded, who, why and what it changed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database loaded before this has no version of its plan until the next load.
    op.create_table(
        'plan_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_code', sa.String(length=60), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('loaded_by', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['loaded_by'], ['users.id'], name=op.f('fk_plan_versions_loaded_by_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
        sa.UniqueConstraint('plan_code', 'number', name=op.f('uq_plan_versions_plan_code_number')),
    )
    op.create_index(op.f('ix_plan_versions_plan_code'), 'plan_versions', ['plan_code'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_plan_versions_plan_code'), table_name='plan_versions')
    op.drop_table('plan_versions')
