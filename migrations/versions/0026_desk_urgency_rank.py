"""The approval desk pages from an index (issue 16): a referral and a closure request carry their
case's urgency rank (0 emergency, 1 high, 2 normal, 3 low, 4 anything else), filled here from the
cases and kept in step by the services, with indexes in the desk's order (office, status, rank,
since, id) and one per referral kind that also counts the desk's filters.

Revision ID: 0026
Revises: 0023
Create Date: 2026-12-01 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0023'
branch_labels = None
depends_on = None

RANK = (
    "(SELECT CASE c.urgency WHEN 'emergency' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 4 END FROM \"case\" c WHERE c.id = {table}.case_id)"
)


def upgrade():
    for table in ('referral', 'case_closure'):
        # ADD COLUMN with a constant default: no table rebuild on SQLite
        op.add_column(
            table,
            sa.Column('urgency_rank', sa.SmallInteger(), server_default='2', nullable=False),
        )
    # The indexes before the rows are filled: an index created after an UPDATE of the same
    # transaction stays unused on PostgreSQL until every older transaction has ended
    # (pg_index.indcheckxmin), and the desk would sort meanwhile.
    op.create_index(
        'ix_referral_desk',
        'referral',
        ['office_id', 'status', 'urgency_rank', 'submitted_at', 'id'],
        unique=False,
    )
    op.create_index(
        'ix_referral_desk_kind',
        'referral',
        ['office_id', 'status', 'kind', 'urgency_rank', 'submitted_at', 'id'],
        unique=False,
    )
    op.create_index(
        'ix_case_closure_desk',
        'case_closure',
        ['office_id', 'status', 'urgency_rank', 'requested_at', 'id'],
        unique=False,
    )
    for table in ('referral', 'case_closure'):
        # only the rows of cases that are not "normal" (2, the default) are rewritten
        op.execute(
            f'UPDATE {table} SET urgency_rank = {RANK.format(table=table)} WHERE case_id IN '
            "(SELECT id FROM \"case\" WHERE urgency IS NULL OR urgency <> 'normal')"
        )
    if op.get_bind().dialect.name == 'postgresql':
        # The rewritten rows leave the visibility map unset: until a vacuum (autovacuum may be
        # off or late) PostgreSQL reads the table for every item the desk counts (at 500,000
        # cases, 150-450 ms of SQL per desk page instead of 20-40). VACUUM cannot run inside the
        # migration's transaction.
        with op.get_context().autocommit_block():
            op.execute('VACUUM ANALYZE referral')
            op.execute('VACUUM ANALYZE case_closure')


def downgrade():
    op.drop_index('ix_case_closure_desk', table_name='case_closure')
    op.drop_index('ix_referral_desk_kind', table_name='referral')
    op.drop_index('ix_referral_desk', table_name='referral')
    with op.batch_alter_table('case_closure', schema=None) as batch_op:
        batch_op.drop_column('urgency_rank')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('urgency_rank')
