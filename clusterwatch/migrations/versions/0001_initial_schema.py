"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:21:42.318091
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_sources')),
    sa.UniqueConstraint('code', name=op.f('uq_data_sources_code'))
    )
    op.create_table('indicators',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('aggregation', sa.String(length=10), nullable=False),
    sa.Column('numerator_code', sa.String(length=60), nullable=True),
    sa.Column('denominator_code', sa.String(length=60), nullable=True),
    sa.Column('scale', sa.Float(), nullable=False),
    sa.Column('flow', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("aggregation IN ('sum', 'ratio', 'none')", name=op.f('ck_indicators_aggregation')),
    sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f('ck_indicators_direction')),
    sa.ForeignKeyConstraint(['denominator_code'], ['indicators.code'], name=op.f('fk_indicators_denominator_code_indicators')),
    sa.ForeignKeyConstraint(['numerator_code'], ['indicators.code'], name=op.f('fk_indicators_numerator_code_indicators')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicators'))
    )
    op.create_table('zones',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_zones'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_code', sa.String(length=20), nullable=True),
    sa.Column('zone_code', sa.String(length=40), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint("level IN ('province', 'city', 'county', 'town', 'park')", name=op.f('ck_regions_level')),
    sa.ForeignKeyConstraint(['parent_code'], ['regions.code'], name=op.f('fk_regions_parent_code_regions')),
    sa.ForeignKeyConstraint(['zone_code'], ['zones.code'], name=op.f('fk_regions_zone_code_zones')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_parent_code'), ['parent_code'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('horizon', sa.Integer(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_plans_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=150), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('pillar', 'emerging', 'future', 'sub')", name=op.f('ck_clusters_kind')),
    sa.ForeignKeyConstraint(['parent_id'], ['clusters.id'], name=op.f('fk_clusters_parent_id_clusters')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_clusters_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clusters')),
    sa.UniqueConstraint('plan_id', 'slug', name=op.f('uq_clusters_plan_id_slug'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('file', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=True),
    sa.Column('issued', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_documents_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_documents_plan_id_code'))
    )
    op.create_table('layout_placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.CheckConstraint("tier IN ('core', 'key', 'general')", name=op.f('ck_layout_placements_tier')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_layout_placements_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_layout_placements_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_layout_placements_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_layout_placements')),
    sa.UniqueConstraint('cluster_id', 'region_code', name=op.f('uq_layout_placements_cluster_id_region_code'))
    )
    with op.batch_alter_table('layout_placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_layout_placements_region_code'), ['region_code'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("period_type IN ('A', 'Q', 'M')", name=op.f('ck_observations_period_type')),
    sa.CheckConstraint("status IN ('A', 'P', 'E', 'F', 'B', 'M')", name=op.f('ck_observations_status')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_observations_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_observations_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_observations_region_code_regions')),
    sa.ForeignKeyConstraint(['source_id'], ['data_sources.id'], name=op.f('fk_observations_source_id_data_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('indicator_code', 'region_code', 'cluster_id', 'period', name=op.f('uq_observations_indicator_code_region_code_cluster_id_period'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_year'), ['year'], unique=False)
        batch_op.create_index('uq_observations_no_cluster', ['indicator_code', 'region_code', 'period'], unique=True, sqlite_where=sa.text('cluster_id IS NULL'), postgresql_where=sa.text('cluster_id IS NULL'))

    op.create_table('stated_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('cluster_group', sa.String(length=10), nullable=True),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('indicator_text', sa.String(length=200), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('comparator', sa.String(length=6), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.CheckConstraint("comparator IN ('=', '>', '>=', '<', '<=', '~', 'range')", name=op.f('ck_stated_figures_comparator')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_stated_figures_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_stated_figures_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_stated_figures_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_stated_figures_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_stated_figures_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stated_figures'))
    )
    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('cluster_group', sa.String(length=10), nullable=True),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('indicator_text', sa.String(length=200), nullable=True),
    sa.Column('measure', sa.String(length=10), nullable=False),
    sa.Column('comparator', sa.String(length=6), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('value_max', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('baseline_figure_id', sa.Integer(), nullable=True),
    sa.Column('aspirational', sa.Boolean(), nullable=False),
    sa.Column('headline', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.CheckConstraint("comparator IN ('=', '>', '>=', '<', '<=', '~', 'range')", name=op.f('ck_targets_comparator')),
    sa.CheckConstraint("measure IN ('level', 'cagr')", name=op.f('ck_targets_measure')),
    sa.ForeignKeyConstraint(['baseline_figure_id'], ['stated_figures.id'], name=op.f('fk_targets_baseline_figure_id_stated_figures'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_targets_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_targets_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_targets_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_targets_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_targets_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_targets_plan_id_code'))
    )


def downgrade() -> None:
    op.drop_table('targets')
    op.drop_table('stated_figures')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('uq_observations_no_cluster', sqlite_where=sa.text('cluster_id IS NULL'), postgresql_where=sa.text('cluster_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_observations_year'))
        batch_op.drop_index(batch_op.f('ix_observations_region_code'))
        batch_op.drop_index(batch_op.f('ix_observations_cluster_id'))

    op.drop_table('observations')
    with op.batch_alter_table('layout_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_layout_placements_region_code'))

    op.drop_table('layout_placements')
    op.drop_table('documents')
    op.drop_table('clusters')
    op.drop_table('plans')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_code'))

    op.drop_table('regions')
    op.drop_table('zones')
    op.drop_table('indicators')
    op.drop_table('data_sources')
