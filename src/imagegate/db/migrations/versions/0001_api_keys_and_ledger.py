"""API keys and the usage ledger.

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=32), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('budget_micro_usd', sa.BigInteger(), nullable=True),
    sa.Column('spent_micro_usd', sa.BigInteger(), nullable=False),
    sa.Column('reserved_micro_usd', sa.BigInteger(), nullable=False),
    sa.Column('rpm', sa.Integer(), nullable=True),
    sa.Column('ipm', sa.Integer(), nullable=True),
    sa.Column('tpm', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_id')
    )
    op.create_table('ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=True),
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=32), nullable=False),
    sa.Column('size', sa.String(length=32), nullable=False),
    sa.Column('quality', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('text_tokens', sa.Integer(), nullable=False),
    sa.Column('image_tokens', sa.Integer(), nullable=False),
    sa.Column('cached_image_tokens', sa.Integer(), nullable=False),
    sa.Column('output_tokens', sa.Integer(), nullable=False),
    sa.Column('cost_micro_usd', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['api_keys.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id')
    )
    op.create_index('ix_ledger_created', 'ledger', ['created_at'])
    op.create_index('ix_ledger_key_created', 'ledger', ['key_id', 'created_at'])



def downgrade() -> None:
    op.drop_index('ix_ledger_key_created', 'ledger')
    op.drop_index('ix_ledger_created', 'ledger')
    op.drop_table('ledger')
    op.drop_table('api_keys')
