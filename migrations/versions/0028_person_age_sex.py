"""The case list's filters on the person's age and sex answer from indexes (issue 16): the
office's people by (sex, birth year, estimated age) and by (birth year, estimated age), with
whether they are identified (the page of unidentified people filters on it too), and a
person's cases by (person_id, office_id), so that a filter reads the people it names and counts
their cases from the index alone, not every person of the office.

On SQLite with statistics (ANALYZE, `flask analyze-db`) the new indexes are analysed at once:
without their statistics the planner reads every person of the office for an age range.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

NEW_INDEXES = ('ix_person_office_sex_born', 'ix_person_office_born', 'ix_case_person')


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(
            'ix_person_office_sex_born', ['office_id', 'sex', 'birth_year', 'estimated_age', 'identity_known'], unique=False
        )
        batch_op.create_index(
            'ix_person_office_born', ['office_id', 'birth_year', 'estimated_age', 'identity_known'], unique=False
        )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_person')
        batch_op.create_index('ix_case_person', ['person_id', 'office_id'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        analysed = bind.execute(
            sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).scalar()
        if analysed:  # a file never analysed stays so (its plans were chosen without)
            for name in NEW_INDEXES:
                op.execute(f'ANALYZE {name}')


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_person')
        batch_op.create_index('ix_case_person', ['person_id'], unique=False)
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_office_born')
        batch_op.drop_index('ix_person_office_sex_born')
