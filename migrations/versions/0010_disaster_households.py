"""A disaster case's household: how many families (KK) and people (jiwa) it stands for, so the
reports count disaster victims in KK and jiwa. Existing cases have none recorded (each counts as
one KK of one person); the tallies are rebuilt (`flask rebuild-tallies --if-needed`) to carry the
new counts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 22:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_kk', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('household_people', sa.Integer(), nullable=True))
    op.execute("DELETE FROM case_tally")
    op.execute("UPDATE office SET tallied_at = NULL")


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('household_people')
        batch_op.drop_column('household_kk')
    op.execute("DELETE FROM case_tally")
    op.execute("UPDATE office SET tallied_at = NULL")
