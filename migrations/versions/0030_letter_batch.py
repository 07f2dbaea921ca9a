"""The batch print runs as a job with a progress indicator (issue 16): a manager's batch of
letters, how far its joining has come, and the one PDF when done (kept for a day, in the
database like the archived letters, so every app server can serve it).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'letter_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('letter_ids', sa.JSON(), nullable=False),
        sa.Column('left_out', sa.JSON(), nullable=False),
        sa.Column('printed_ids', sa.JSON(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('host_url', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_letter_batch_office_id_office')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_letter_batch_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_batch')),
        sqlite_autoincrement=True,  # a deleted batch's id (its page's URL) is never reused
    )
    with op.batch_alter_table('letter_batch', schema=None) as batch_op:
        batch_op.create_index('ix_letter_batch_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_batch_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('letter_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_batch_user_id'))
        batch_op.drop_index('ix_letter_batch_created_at')
    op.drop_table('letter_batch')
