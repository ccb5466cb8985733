"""value flags keep their message (id and parameters) to be shown in any language

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # {"reason": Message.to_json(), "cell": Message.to_json() or the cell as it reads ("B5")};
    # NULL for flags written before: those are shown by their English reason and cell.
    with op.batch_alter_table('value_flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('value_flags', schema=None) as batch_op:
        batch_op.drop_column('message')
