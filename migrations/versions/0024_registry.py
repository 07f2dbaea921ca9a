"""Social-registry status (issue 14 part C): person_registry (the latest status, one row per
person), registry_check (every check) and registry_import (a SIKS-NG file between preview and
confirmation).

Revision ID: 0024
Revises: 0016
Create Date: 2026-12-01 01:26:12.852294

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registry_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_registry_import_by_id_user')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_registry_import_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_import')),
    sa.UniqueConstraint('token', name=op.f('uq_registry_import_token'))
    )
    with op.batch_alter_table('registry_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_import_office_id'), ['office_id'], unique=False)

    op.create_table('person_registry',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('dtsen_status', sa.String(length=20), nullable=False),
    sa.Column('decile', sa.Integer(), nullable=True),
    sa.Column('insurance', sa.String(length=20), nullable=False),
    sa.Column('insurance_number', sa.String(length=20), nullable=False),
    sa.Column('aid', sa.JSON(), nullable=False),
    sa.Column('aid_other', sa.String(length=100), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user.id'], name=op.f('fk_person_registry_checked_by_id_user')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_person_registry_office_id_office')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_registry_person_id_person')),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_person_registry'))
    )
    with op.batch_alter_table('person_registry', schema=None) as batch_op:
        batch_op.create_index('ix_person_registry_office_status', ['office_id', 'dtsen_status', 'person_id'], unique=False)

    op.create_table('registry_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('dtsen_status', sa.String(length=20), nullable=False),
    sa.Column('decile', sa.Integer(), nullable=True),
    sa.Column('insurance', sa.String(length=20), nullable=False),
    sa.Column('insurance_number', sa.String(length=20), nullable=False),
    sa.Column('aid', sa.JSON(), nullable=False),
    sa.Column('aid_other', sa.String(length=100), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_registry_check_by_id_user')),
    sa.ForeignKeyConstraint(['import_id'], ['registry_import.id'], name=op.f('fk_registry_check_import_id_registry_import')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_registry_check_office_id_office')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_registry_check_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_check'))
    )
    with op.batch_alter_table('registry_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_check_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('registry_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_check_person_id'))

    op.drop_table('registry_check')
    with op.batch_alter_table('person_registry', schema=None) as batch_op:
        batch_op.drop_index('ix_person_registry_office_status')

    op.drop_table('person_registry')
    with op.batch_alter_table('registry_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_import_office_id'))

    op.drop_table('registry_import')
