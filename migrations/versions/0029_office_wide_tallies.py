"""The office's tallies over every kecamatan, its counts of the present, and aid in kind
(issue 16): beside its rows by kecamatan, each office keeps its monthly and day tallies added up
over all its kecamatan (user_id -1), which its dashboard and reports read (a few rows a month
whatever the office's size); three undated counts (month 1900-01-01): open cases by category,
open cases by assigned worker, cases with a referral waiting, which the dashboard reads instead
of counting the open cases; and the quantities of aid given in kind ("goods", keyed by kind and
unit: the tally key grows from 24 to 64 characters), which the reports read instead of counting
the period's aid.

The stored tallies lack these rows: they are emptied, and every office with cases is marked
untallied (as 0007 and 0027 did): its reports and dashboard count the cases themselves
(correctly) until `flask rebuild-tallies --if-needed` has rebuilt them (`make run` and the
README's production steps run it).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

TABLES = {'case_tally': {}, 'case_day_tally': {'sqlite_with_rowid': False}}


def _key_length(length, old):
    for table, kwargs in TABLES.items():
        with op.batch_alter_table(table, schema=None, table_kwargs=kwargs) as batch_op:
            batch_op.alter_column('key', existing_type=sa.String(length=old),
                                  type_=sa.String(length=length), existing_nullable=False)


def upgrade():
    op.execute('DELETE FROM case_day_tally')  # rebuilt by `flask rebuild-tallies --if-needed`
    op.execute('DELETE FROM case_tally')
    _key_length(64, 24)
    op.execute(
        'UPDATE office SET tallied_at = NULL '
        'WHERE EXISTS (SELECT 1 FROM "case" WHERE "case".office_id = office.id)'
    )


def downgrade():
    # the code before 0029 neither reads nor keeps these rows
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE user_id = -1 OR measure = 'goods'")
    _key_length(24, 64)
