"""Finding the unknown (issue 13): which search tokens an office's cases are indexed with, and
indexes for the filters on the person (unidentified, found between dates).

Existing offices start at NULL: `flask reindex-search --if-needed` (run by `make setup`)
rebuilds their index with the descriptions of the people found without a name.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 00:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_version', sa.Integer(), nullable=True))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_office_unknown_found', ['office_id', 'identity_known', 'found_at'], unique=False)
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_person', ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_person')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_office_unknown_found')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('search_version')
