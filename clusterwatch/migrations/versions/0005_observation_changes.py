"""observation changes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:03:20.507795
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('observation_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('old_value', sa.Float(), nullable=True),
    sa.Column('new_value', sa.Float(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_observation_changes_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_observation_changes_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_observation_changes_region_code_regions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_observation_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_changes'))
    )
    with op.batch_alter_table('observation_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_changes_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_changes_region_code'), ['region_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('observation_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_changes_region_code'))
        batch_op.drop_index(batch_op.f('ix_observation_changes_changed_at'))

    op.drop_table('observation_changes')
