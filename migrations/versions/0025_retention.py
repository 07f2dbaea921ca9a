"""The person's rights and the archive period (issue 14 part D): the office's retention and
letter-archive settings, when a case or a person was anonymised, and the two-manager
anonymisation request.

Revision ID: 0025
Revises: 0016
Create Date: 2026-12-01 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('letter_archive_years', sa.Integer(), server_default='10', nullable=False))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
    op.create_table(
        'anonymisation_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_anonymisation_request_case_id_case')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_anonymisation_request_decided_by_id_user')),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_anonymisation_request_office_id_office')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_anonymisation_request_requested_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymisation_request')),
    )
    with op.batch_alter_table('anonymisation_request', schema=None) as batch_op:
        batch_op.create_index('ix_anonymisation_request_office_status', ['office_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_anonymisation_request_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('anonymisation_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymisation_request_case_id'))
        batch_op.drop_index('ix_anonymisation_request_office_status')
    op.drop_table('anonymisation_request')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('letter_archive_years')
        batch_op.drop_column('retention_years')
