"""Tallies in the office's time zone: until now a case, closure or approval was counted in the
UTC month of its timestamp, so one made between 00:00 and 08:00 WITA on the 1st landed in the
previous month. The stored tallies are dropped and every office is marked untallied: its
reports count the cases themselves (correctly) until `flask rebuild-tallies --if-needed` has
run (`make run` and the README's production steps run it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 19:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM case_tally")
    op.execute("UPDATE office SET tallied_at = NULL")


def downgrade():
    # the months were counted in UTC before: recount them (flask rebuild-tallies) after a downgrade
    op.execute("DELETE FROM case_tally")
    op.execute("UPDATE office SET tallied_at = NULL")
