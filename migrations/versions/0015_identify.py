"""Identifying a person registered without identity (issue 13, part B).

- person.first_case_number: an unknown person is labelled by the number of the case he was
  registered with ("Tanpa identitas (KS-2026-000238)"), never by a database id; filled here
  from each person's first case.
- person_identification: how, when and by whom a person was identified, and the label and
  values before.
- Data step: names as written in South Sulawesi (services/names.py: Dg. = Daeng, Abd. = Abdul,
  St. = Siti, titles H./Hj./Andi, "Nur Hasanah" = "Nurhasanah") change the stored
  person.name_key; it is recomputed here with the portal's own function, and the search tokens
  of the cases of every person whose key changed are written anew.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01 00:45:00

"""
from types import SimpleNamespace

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_case_number', sa.String(length=20), nullable=True))
    op.create_table(
        'person_identification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('identified_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('previous_label', sa.String(length=160), nullable=False),
        sa.Column('previous_values', sa.JSON(), nullable=True),
        sa.Column('by_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_person_identification_by_id_user')),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_person_identification_case_id_case')),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_person_identification_office_id_office')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_identification_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_identification')),
    )
    with op.batch_alter_table('person_identification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_identification_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_identification_person_id'), ['person_id'], unique=False)
    op.execute(
        'UPDATE person SET first_case_number = (SELECT c.number FROM "case" c '
        'WHERE c.person_id = person.id ORDER BY c.id LIMIT 1)'
    )
    _recompute_name_keys(op.get_bind())


def _recompute_name_keys(conn) -> None:
    from portal.services.names import name_key
    from portal.services.search import tokens_for

    last_id, changed = 0, []
    while True:
        rows = conn.execute(
            sa.text(
                'SELECT id, full_name, name_key FROM person WHERE id > :last ORDER BY id LIMIT :n'
            ),
            {"last": last_id, "n": BATCH},
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        updates = [
            {"id": r.id, "key": key}
            for r in rows
            if (key := name_key(r.full_name or "")) != (r.name_key or "")
        ]
        if updates:
            conn.execute(sa.text('UPDATE person SET name_key = :key WHERE id = :id'), updates)
            changed.extend(u["id"] for u in updates)
    for start in range(0, len(changed), 500):
        _reindex(conn, changed[start : start + 500], tokens_for)


def _reindex(conn, person_ids, tokens_for) -> None:
    """Search tokens written anew for the cases of these people (as services.search.index_case)."""
    cases = conn.execute(
        sa.text(
            'SELECT c.id, c.office_id, c.number, p.full_name, p.nik, p.kk_number, p.phone '
            'FROM "case" c JOIN person p ON p.id = c.person_id WHERE c.person_id IN :ids'
        ).bindparams(sa.bindparam("ids", expanding=True)),
        {"ids": person_ids},
    ).all()
    if not cases:
        return
    conn.execute(
        sa.text('DELETE FROM case_search_term WHERE case_id IN :ids').bindparams(
            sa.bindparam("ids", expanding=True)
        ),
        {"ids": [c.id for c in cases]},
    )
    rows = []
    for c in cases:
        person = SimpleNamespace(full_name=c.full_name, nik=c.nik, kk_number=c.kk_number, phone=c.phone)
        case = SimpleNamespace(number=c.number, person=person)
        rows += [{"case_id": c.id, "office_id": c.office_id, "token": t} for t in tokens_for(case)]
    conn.execute(
        sa.text(
            'INSERT INTO case_search_term (case_id, office_id, token) VALUES (:case_id, :office_id, :token)'
        ),
        rows,
    )


def downgrade():
    with op.batch_alter_table('person_identification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_identification_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_identification_case_id'))
    op.drop_table('person_identification')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('first_case_number')
