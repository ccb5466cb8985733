"""forms

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:00:13.158586
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('disaggregation', sa.String(length=10), nullable=False),
    sa.Column('due_days', sa.Integer(), nullable=False),
    sa.Column('expiry_days', sa.Integer(), nullable=False),
    sa.CheckConstraint("disaggregation IN ('none', 'cluster')", name=op.f('ck_forms_disaggregation')),
    sa.CheckConstraint("level IN ('province', 'city', 'county', 'town', 'park', 'enterprise')", name=op.f('ck_forms_level')),
    sa.CheckConstraint("period_type IN ('A', 'Q', 'M')", name=op.f('ck_forms_period_type')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_forms_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forms')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_forms_plan_id_code'))
    )
    op.create_table('form_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('min_value', sa.Float(), nullable=True),
    sa.Column('max_value', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_form_indicators_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_form_indicators_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_indicators')),
    sa.UniqueConstraint('form_id', 'indicator_code', name=op.f('uq_form_indicators_form_id_indicator_code'))
    )


def downgrade() -> None:
    op.drop_table('form_indicators')
    op.drop_table('forms')
