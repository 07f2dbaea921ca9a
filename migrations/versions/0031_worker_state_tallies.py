"""A social worker's counts of the present, and a kecamatan's rows by index (issue 16): each
social worker's tallies (under their user id: the cases assigned to them or registered by them)
also hold the undated counts of the present (month 1900-01-01: open cases by category, open cases
by assigned worker, cases with a referral waiting) and the cases with a referral approved, by
kind and month, which their dashboard reads instead of counting their cases. A report of one
kecamatan reads the office's rows by kecamatan (user_id 0) through an index that leads with the
kecamatan (ix_case_tally_district, ix_case_day_tally_district) instead of every kecamatan's rows
of each month.

The stored tallies lack the social workers' new rows: every office with cases is marked
untallied (as 0029 did): its reports and dashboards count the cases themselves (correctly) until
`flask rebuild-tallies --if-needed` has rebuilt them (`make run` and the README's production
steps run it).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-01 08:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_case_tally_district', 'case_tally', 'month'),
    ('ix_case_day_tally_district', 'case_day_tally', 'day'),
)


def upgrade():
    for name, table, date_column in INDEXES:
        op.create_index(name, table,
                        ['office_id', 'user_id', 'district_code', 'measure', date_column])
    op.execute(
        'UPDATE office SET tallied_at = NULL '
        'WHERE EXISTS (SELECT 1 FROM "case" WHERE "case".office_id = office.id)'
    )


def downgrade():
    # the code before 0031 keeps no social worker's counts of the present or approvals
    op.execute(
        "DELETE FROM case_tally WHERE user_id > 0 "
        "AND measure IN ('open', 'load', 'waiting', 'approved')"
    )
    for name, table, _date_column in INDEXES:
        op.drop_index(name, table_name=table)
