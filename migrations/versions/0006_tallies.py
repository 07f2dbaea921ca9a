"""Monthly tallies behind the dashboard and period reports (case_tally: the office's, and each
social worker's own), kept by the portal as cases change; indexes for the days of a report outside whole months.

Offices that already have cases start untallied (office.tallied_at NULL): their reports count
the cases themselves until `flask rebuild-tallies` has run (`make run` runs it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_tally',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('measure', sa.String(length=12), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('ppks_code', sa.String(length=4), nullable=False),
    sa.Column('local_type_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('district_code', sa.String(length=13), nullable=False),
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_case_tally_office_id_office')),
    sa.PrimaryKeyConstraint('office_id', 'user_id', 'measure', 'month', 'ppks_code', 'local_type_id', 'district_code', 'key', name=op.f('pk_case_tally'))
    )
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tallied_at', sa.DateTime(), nullable=True))
    # an office without cases has nothing to count: its (empty) tallies are built
    op.execute(
        'UPDATE office SET tallied_at = CURRENT_TIMESTAMP '
        'WHERE NOT EXISTS (SELECT 1 FROM "case" WHERE "case".office_id = office.id)'
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_office_decided', ['office_id', 'decided_at'], unique=False)
        batch_op.create_index('ix_referral_office_handover', ['office_id', 'handover_date'], unique=False)
    with op.batch_alter_table('aid', schema=None) as batch_op:
        batch_op.create_index('ix_aid_office_given', ['office_id', 'given_on'], unique=False)
        batch_op.drop_index('ix_aid_office_id')


def downgrade():
    with op.batch_alter_table('aid', schema=None) as batch_op:
        batch_op.create_index('ix_aid_office_id', ['office_id'], unique=False)
        batch_op.drop_index('ix_aid_office_given')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_office_handover')
        batch_op.drop_index('ix_referral_office_decided')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('tallied_at')
    op.drop_table('case_tally')
