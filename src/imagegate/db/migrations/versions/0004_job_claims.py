"""Job claims: which server process runs a job, and until when its claim holds.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('claim_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('claim_until')
        batch.drop_column('claimed_by')
