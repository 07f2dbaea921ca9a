"""Guardians and the legal basis of processing (issue 14 part B): person_guardian (wali /
pendamping of a child, an ODGJ or a person with a disability) and processing_basis (one per
case: consent, vital interest, legal duty or public task, UU PDP Pasal 20).

Revision ID: 0023
Revises: 0016
Create Date: 2026-12-01 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'person_guardian',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('relation', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('nik', sa.String(length=16), nullable=True),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_person_guardian_created_by_id_user')),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_person_guardian_office_id_office')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_guardian_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_guardian')),
    )
    with op.batch_alter_table('person_guardian', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_guardian_person_id'), ['person_id'], unique=False)

    op.create_table(
        'processing_basis',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=16), nullable=False),
        sa.Column('consent_by', sa.String(length=10), nullable=True),
        sa.Column('guardian_id', sa.Integer(), nullable=True),
        sa.Column('consent_given_on', sa.Date(), nullable=True),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_processing_basis_case_id_case')),
        sa.ForeignKeyConstraint(['guardian_id'], ['person_guardian.id'], name=op.f('fk_processing_basis_guardian_id_person_guardian')),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_processing_basis_office_id_office')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_processing_basis_recorded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_processing_basis')),
        sa.UniqueConstraint('case_id', name=op.f('uq_processing_basis_case_id')),
    )


def downgrade():
    op.drop_table('processing_basis')
    with op.batch_alter_table('person_guardian', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_guardian_person_id'))
    op.drop_table('person_guardian')
