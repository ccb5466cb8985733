"""validation rules

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:33:49.474549
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('validation_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('left', sa.String(length=300), nullable=False),
    sa.Column('operator', sa.String(length=2), nullable=False),
    sa.Column('right', sa.String(length=300), nullable=False),
    sa.Column('importance', sa.String(length=6), nullable=False),
    sa.Column('missing', sa.String(length=20), nullable=False),
    sa.CheckConstraint("importance IN ('high', 'medium', 'low')", name=op.f('ck_validation_rules_importance')),
    sa.CheckConstraint("missing IN ('skip_if_any_missing', 'skip_if_all_missing', 'never_skip')", name=op.f('ck_validation_rules_missing')),
    sa.CheckConstraint("operator IN ('<', '<=', '==', '>=', '>')", name=op.f('ck_validation_rules_operator')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_validation_rules_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_validation_rules')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_validation_rules_plan_id_code'))
    )


def downgrade() -> None:
    op.drop_table('validation_rules')
