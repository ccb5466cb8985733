"""return approval cycle

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:09:23.555097
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('return_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'approved', 'accepted')", name=op.f('ck_return_records_status')),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_return_records_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_return_records_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_records')),
    sa.UniqueConstraint('form_id', 'region_code', 'period', name=op.f('uq_return_records_form_id_region_code_period'))
    )
    with op.batch_alter_table('return_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_records_region_code'), ['region_code'], unique=False)

    op.create_table('return_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['return_id'], ['return_records.id'], name=op.f('fk_return_events_return_id_return_records'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_return_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_events'))
    )
    with op.batch_alter_table('return_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_events_return_id'), ['return_id'], unique=False)

    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_column('approved')

    with op.batch_alter_table('return_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_events_return_id'))

    op.drop_table('return_events')
    with op.batch_alter_table('return_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_records_region_code'))

    op.drop_table('return_records')
