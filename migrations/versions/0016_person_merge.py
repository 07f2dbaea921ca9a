"""Merging two records of one person (issue 13 part C): person.merged_into_id/merged_at and the
person_merge record that lets a manager undo a merge.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-01 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'person_merge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('kept_person_id', sa.Integer(), nullable=False),
        sa.Column('merged_person_id', sa.Integer(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kept_values', sa.JSON(), nullable=False),
        sa.Column('merged_values', sa.JSON(), nullable=False),
        sa.Column('moved', sa.JSON(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.Column('undone_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_person_merge_by_id_user')),
        sa.ForeignKeyConstraint(['kept_person_id'], ['person.id'], name=op.f('fk_person_merge_kept_person_id_person')),
        sa.ForeignKeyConstraint(['merged_person_id'], ['person.id'], name=op.f('fk_person_merge_merged_person_id_person')),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_person_merge_office_id_office')),
        sa.ForeignKeyConstraint(['undone_by_id'], ['user.id'], name=op.f('fk_person_merge_undone_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_merge')),
    )
    with op.batch_alter_table('person_merge', schema=None) as batch_op:
        batch_op.create_index('ix_person_merge_office_at', ['office_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_merge_kept_person_id'), ['kept_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_merge_merged_person_id'), ['merged_person_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_person_merged_into_id_person'), 'person', ['merged_into_id'], ['id'])


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_person_merged_into_id_person'), type_='foreignkey')
        batch_op.drop_column('merged_at')
        batch_op.drop_column('merged_into_id')

    with op.batch_alter_table('person_merge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_merge_merged_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_merge_kept_person_id'))
        batch_op.drop_index('ix_person_merge_office_at')
    op.drop_table('person_merge')
