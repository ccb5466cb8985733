"""value flags and explanations

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:36:40.019856
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('value_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('cell', sa.String(length=60), nullable=False),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('explained_by', sa.Integer(), nullable=True),
    sa.Column('explained_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('outlier', 'rule')", name=op.f('ck_value_flags_kind')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_value_flags_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_value_flags_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['explained_by'], ['users.id'], name=op.f('fk_value_flags_explained_by_users')),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_value_flags_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_value_flags_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_value_flags_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_flags'))
    )
    with op.batch_alter_table('value_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_flags_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_value_flags_return', ['form_id', 'region_code', 'period'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('value_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_value_flags_return')
        batch_op.drop_index(batch_op.f('ix_value_flags_enterprise_id'))

    op.drop_table('value_flags')
