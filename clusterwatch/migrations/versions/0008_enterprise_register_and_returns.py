"""enterprise register and returns

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 15:20:37.453396
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enterprises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('above_scale', sa.Boolean(), nullable=False),
    sa.Column('land_mu', sa.Float(), nullable=True),
    sa.Column('founded', sa.Date(), nullable=True),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_enterprises_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises')),
    sa.UniqueConstraint('uscc', name=op.f('uq_enterprises_uscc'))
    )
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_region_code'), ['region_code'], unique=False)

    op.create_table('enterprise_clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_enterprise_clusters_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_clusters_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_clusters')),
    sa.UniqueConstraint('enterprise_id', 'cluster_id', name=op.f('uq_enterprise_clusters_enterprise_id_cluster_id'))
    )
    with op.batch_alter_table('enterprise_clusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_clusters_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_clusters_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_import_batches_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_batches_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    op.create_table('enterprise_value_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('old_value', sa.Float(), nullable=True),
    sa.Column('new_value', sa.Float(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_enterprise_value_changes_batch_id_import_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_value_changes_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_enterprise_value_changes_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_enterprise_value_changes_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_value_changes'))
    )
    with op.batch_alter_table('enterprise_value_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_value_changes_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_value_changes_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('enterprise_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('layout', sa.String(length=16), nullable=False),
    sa.Column('packed', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('created_batch_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("period_type IN ('A', 'Q', 'M')", name=op.f('ck_enterprise_values_period_type')),
    sa.CheckConstraint("status IN ('A', 'P', 'E', 'F', 'B', 'M')", name=op.f('ck_enterprise_values_status')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_enterprise_values_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['created_batch_id'], ['import_batches.id'], name=op.f('fk_enterprise_values_created_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_values_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_enterprise_values_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_enterprise_values_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_values')),
    sa.UniqueConstraint('enterprise_id', 'form_id', 'period', name=op.f('uq_enterprise_values_enterprise_id_form_id_period'))
    )
    with op.batch_alter_table('enterprise_values', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_values_form_period', ['form_id', 'period'], unique=False)

    with op.batch_alter_table('form_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sa.String(length=20), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('form_indicators', schema=None) as batch_op:
        batch_op.drop_column('unit')

    with op.batch_alter_table('enterprise_values', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprise_values_form_period')

    op.drop_table('enterprise_values')
    with op.batch_alter_table('enterprise_value_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_value_changes_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_value_changes_batch_id'))

    op.drop_table('enterprise_value_changes')
    op.drop_table('import_batches')
    with op.batch_alter_table('enterprise_clusters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_clusters_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_clusters_cluster_id'))

    op.drop_table('enterprise_clusters')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprises_region_code'))

    op.drop_table('enterprises')
