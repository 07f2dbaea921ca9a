"""The office's tallies over every kecamatan, and its counts of the present (issue 16): beside
its rows by kecamatan, each office keeps its monthly and day tallies added up over all its
kecamatan (user_id -1), which its dashboard and reports read (a few rows a month whatever the
office's size), and three undated counts (month 1900-01-01): open cases by category, open cases
by assigned worker, cases with a referral waiting, which the dashboard reads instead of
counting the open cases. No table changes: the rows are new.

The stored tallies lack these rows, so every office with cases is marked untallied (as 0027
did): its reports and dashboard count the cases themselves (correctly) until `flask
rebuild-tallies --if-needed` has rebuilt them (`make run` and the README's production steps run
it).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 08:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        'UPDATE office SET tallied_at = NULL '
        'WHERE EXISTS (SELECT 1 FROM "case" WHERE "case".office_id = office.id)'
    )


def downgrade():
    # the code before 0029 neither reads nor keeps these rows
    op.execute('DELETE FROM case_tally WHERE user_id = -1')
    op.execute('DELETE FROM case_day_tally WHERE user_id = -1')
