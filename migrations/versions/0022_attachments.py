"""Documents on a person or a case (issue 14 part A): attachment.case_id, doc_type, doc_date,
note, sensitive, pages and thumbnail; the office's size limits; the documents a referral's
letter carries (referral.attachment_ids).

Revision ID: 0022
Revises: 0016
Create Date: 2026-12-01 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('doc_type', sa.String(length=20), nullable=False, server_default='foto'))
        batch_op.add_column(sa.Column('doc_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sensitive', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('pages', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('thumbnail', sa.LargeBinary(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_max_mb', sa.Integer(), nullable=False, server_default='10'))
        batch_op.add_column(sa.Column('case_attachments_max_mb', sa.Integer(), nullable=False, server_default='100'))

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_ids', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('attachment_ids')

    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('case_attachments_max_mb')
        batch_op.drop_column('attachment_max_mb')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))
        batch_op.drop_column('thumbnail')
        batch_op.drop_column('pages')
        batch_op.drop_column('sensitive')
        batch_op.drop_column('note')
        batch_op.drop_column('doc_date')
        batch_op.drop_column('doc_type')
        batch_op.drop_column('case_id')
