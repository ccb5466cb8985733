"""lists and tiers of enterprises, chain segments, exempt firms, evaluation schemes, runs and results

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evaluation_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_evaluation_schemes_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_schemes')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_evaluation_schemes_code_version'))
    )
    op.create_table('evaluation_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('firms', sa.Integer(), nullable=False),
    sa.Column('rated', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_evaluation_runs_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scheme_id'], ['evaluation_schemes.id'], name=op.f('fk_evaluation_runs_scheme_id_evaluation_schemes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_runs')),
    sa.UniqueConstraint('scheme_id', 'year', name=op.f('uq_evaluation_runs_scheme_id_year'))
    )
    op.create_table('list_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('list_code', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('national', 'province', 'city', 'district')", name=op.f('ck_list_memberships_level')),
    sa.CheckConstraint("list_code IN ('chain_leader', 'leading_pool', 'single_champion', 'little_giant', 'specialised_sme', 'hitech', 'unicorn', 'white_list')", name=op.f('ck_list_memberships_list_code')),
    sa.CheckConstraint('until IS NULL OR until >= since', name=op.f('ck_list_memberships_dates')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_list_memberships_cluster_id_clusters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_list_memberships_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_memberships'))
    )
    with op.batch_alter_table('list_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_memberships_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_list_memberships_list_level', ['list_code', 'level'], unique=False)

    op.create_table('evaluation_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('pool', sa.String(length=120), nullable=False),
    sa.Column('unrated', sa.Boolean(), nullable=False),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('pool_size', sa.Integer(), nullable=True),
    sa.Column('klass', sa.String(length=1), nullable=False),
    sa.Column('previous_klass', sa.String(length=1), nullable=True),
    sa.Column('previous_total', sa.Float(), nullable=True),
    sa.Column('breakdown', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_evaluation_results_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_evaluation_results_region_code_regions')),
    sa.ForeignKeyConstraint(['run_id'], ['evaluation_runs.id'], name=op.f('fk_evaluation_results_run_id_evaluation_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_results')),
    sa.UniqueConstraint('run_id', 'enterprise_id', name=op.f('uq_evaluation_results_run_id_enterprise_id'))
    )
    with op.batch_alter_table('evaluation_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_results_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_evaluation_results_run_class', ['run_id', 'klass'], unique=False)

    with op.batch_alter_table('enterprise_clusters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('segment', sa.String(length=100), nullable=True))

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('industry_code', sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column('exempt_reason', sa.String(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('exempt_reason')
        batch_op.drop_column('industry_code')

    with op.batch_alter_table('enterprise_clusters', schema=None) as batch_op:
        batch_op.drop_column('segment')

    with op.batch_alter_table('evaluation_results', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_results_run_class')
        batch_op.drop_index(batch_op.f('ix_evaluation_results_enterprise_id'))

    op.drop_table('evaluation_results')
    with op.batch_alter_table('list_memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_list_memberships_list_level')
        batch_op.drop_index(batch_op.f('ix_list_memberships_enterprise_id'))

    op.drop_table('list_memberships')
    op.drop_table('evaluation_runs')
    op.drop_table('evaluation_schemes')
