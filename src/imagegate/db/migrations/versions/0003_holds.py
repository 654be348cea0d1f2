"""Budget holds with leases.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'holds',
        sa.Column('owner', sa.String(length=64), nullable=False),
        sa.Column('key_id', sa.Integer(), nullable=True),
        sa.Column('amount_micro_usd', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('process', sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(['key_id'], ['api_keys.id']),
        sa.PrimaryKeyConstraint('owner'),
    )
    op.create_index('ix_holds_lease_until', 'holds', ['lease_until'])
    op.create_index('ix_holds_key', 'holds', ['key_id'])
    # Reservations made before holds were rows have no owner to settle them: give them back.
    op.execute(sa.text('UPDATE api_keys SET reserved_micro_usd = 0'))


def downgrade() -> None:
    op.drop_index('ix_holds_key', 'holds')
    op.drop_index('ix_holds_lease_until', 'holds')
    op.drop_table('holds')
