"""Office letter settings: classification codes by category group x kind, Sifat per kind,
numbering from Simpul's register or the office's agenda, page margins and font size; a letter
numbered from the agenda has no serial and no number until a manager types it.

The old classification setting ({kind: code}) said nothing about the subject: an office's
override that differed from the old default (400.9.3) is kept for every category group, so its
letters keep their codes; values equal to the old default are dropped (the new defaults by
category apply).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 21:30:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

GROUPS = ("anak", "rehsos", "tuna_sosial", "napza", "lansia", "perlindungan", "bencana_sosial",
          "bencana_alam", "kemiskinan")
OLD_DEFAULT = "400.9.3"


def _convert(old):
    kept = {kind: code for kind, code in (old or {}).items() if code and code != OLD_DEFAULT}
    return {group: dict(kept) for group in GROUPS} if kept else None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_sifat', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('letter_numbering', sa.String(length=8), nullable=False, server_default=sa.text("'simpul'")))
        batch_op.add_column(sa.Column('letter_margin_top', sa.Integer(), nullable=False, server_default=sa.text('15')))
        batch_op.add_column(sa.Column('letter_margin_right', sa.Integer(), nullable=False, server_default=sa.text('20')))
        batch_op.add_column(sa.Column('letter_margin_bottom', sa.Integer(), nullable=False, server_default=sa.text('15')))
        batch_op.add_column(sa.Column('letter_margin_left', sa.Integer(), nullable=False, server_default=sa.text('25')))
        batch_op.add_column(sa.Column('letter_font_size', sa.Float(), nullable=False, server_default=sa.text('11')))

    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sifat', sa.String(length=12), nullable=False, server_default=sa.text("'Biasa'")))
        batch_op.alter_column('serial', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('number', existing_type=sa.String(length=80), nullable=True)

    bind = op.get_bind()
    office = sa.table('office', sa.column('id', sa.Integer), sa.column('letter_classifications', sa.JSON))
    for row in bind.execute(sa.select(office.c.id, office.c.letter_classifications)).all():
        old = row.letter_classifications
        if isinstance(old, str):
            old = json.loads(old)
        bind.execute(office.update().where(office.c.id == row.id).values(letter_classifications=_convert(old)))
    letter = sa.table('letter', sa.column('kind', sa.String), sa.column('sifat', sa.String))
    bind.execute(letter.update().where(letter.c.kind == 'rujukan_rsj').values(sifat='Rahasia'))


def downgrade():
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM letter WHERE number IS NULL"))
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('serial', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('sifat')

    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('letter_font_size')
        batch_op.drop_column('letter_margin_left')
        batch_op.drop_column('letter_margin_bottom')
        batch_op.drop_column('letter_margin_right')
        batch_op.drop_column('letter_margin_top')
        batch_op.drop_column('letter_numbering')
        batch_op.drop_column('letter_sifat')
