"""Handover witnesses: up to two saksi (name, position or institution) of a referral's handover,
printed on its berita acara serah terima. Existing handovers had none: the columns start empty.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('witness1_name', sa.String(length=120), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('witness1_position', sa.String(length=200), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('witness2_name', sa.String(length=120), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('witness2_position', sa.String(length=200), nullable=False, server_default=sa.text("''")))


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('witness2_position')
        batch_op.drop_column('witness2_name')
        batch_op.drop_column('witness1_position')
        batch_op.drop_column('witness1_name')
