"""extraction review

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:33:18.270782
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('extraction_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('base_plan', sa.String(length=60), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('clusters', sa.JSON(), nullable=False),
    sa.Column('conflicts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extraction_runs'))
    )
    op.create_table('extracted_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('suggestion', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('edits', sa.JSON(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('target', 'baseline', 'layout_table', 'task', 'list')", name=op.f('ck_extracted_items_kind')),
    sa.CheckConstraint("status IN ('extracted', 'confirmed', 'edited', 'rejected')", name=op.f('ck_extracted_items_status')),
    sa.ForeignKeyConstraint(['run_id'], ['extraction_runs.id'], name=op.f('fk_extracted_items_run_id_extraction_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extracted_items'))
    )
    with op.batch_alter_table('extracted_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extracted_items_run_id'), ['run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('extracted_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extracted_items_run_id'))

    op.drop_table('extracted_items')
    op.drop_table('extraction_runs')
