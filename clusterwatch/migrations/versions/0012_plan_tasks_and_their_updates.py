"""tasks and major projects of a plan, their departments, and the updates reported on them

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'tasks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('source_line', sa.Integer(), nullable=False),
        sa.Column('source_text', sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('task', 'project')", name=op.f('ck_tasks_kind')),
        sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_tasks_cluster_id_clusters'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_tasks_document_id_documents'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_tasks_plan_id_plans'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
        sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_tasks_plan_id_code')),
    )
    op.create_table(
        'task_departments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('department', sa.String(length=100), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'cooperating')", name=op.f('ck_task_departments_role')),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_departments_task_id_tasks'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_departments')),
        sa.UniqueConstraint('task_id', 'department', name=op.f('uq_task_departments_task_id_department')),
    )
    op.create_index(op.f('ix_task_departments_task_id'), 'task_departments', ['task_id'])
    op.create_index(op.f('ix_task_departments_department'), 'task_departments', ['department'])
    op.create_table(
        'task_updates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=True),
        sa.Column('department', sa.String(length=100), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('synthetic', sa.Boolean(), nullable=False),
        sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'delayed')", name=op.f('ck_task_updates_status')),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_updates_task_id_tasks'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_task_updates_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_updates')),
    )
    op.create_index(op.f('ix_task_updates_task_id'), 'task_updates', ['task_id'])


def downgrade() -> None:
    op.drop_table('task_updates')
    op.drop_table('task_departments')
    op.drop_table('tasks')
