"""Day tallies (issue 16): the monthly tallies' counts by the office's own day, so a report
whose period cuts months (10 Feb - 20 Nov) adds up the days at its edges instead of counting
those days' cases. Kept with the monthly tallies, in the same transaction.

The new table starts empty, so every office with cases is marked untallied (as 0007 did): its
reports count the cases themselves (correctly) until `flask rebuild-tallies --if-needed` has
rebuilt both tables (`make run` and the README's production steps run it).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_day_tally',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('measure', sa.String(length=12), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ppks_code', sa.String(length=4), nullable=False),
    sa.Column('local_type_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('district_code', sa.String(length=13), nullable=False),
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_case_day_tally_office_id_office')),
    sa.PrimaryKeyConstraint('office_id', 'user_id', 'measure', 'day', 'ppks_code', 'local_type_id', 'district_code', 'key', name=op.f('pk_case_day_tally')),
    sqlite_with_rowid=False,
    )
    op.execute(
        'UPDATE office SET tallied_at = NULL '
        'WHERE EXISTS (SELECT 1 FROM "case" WHERE "case".office_id = office.id)'
    )


def downgrade():
    op.drop_table('case_day_tally')
