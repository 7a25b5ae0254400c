"""The ledger is append-only in the database itself: UPDATE and DELETE of an entry fail."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION billing_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'billing ledger entries are append-only (%)', TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_ledger_append_only
    BEFORE UPDATE OR DELETE ON billing_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION billing_ledger_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS billing_ledger_append_only ON billing_ledgerentry;
DROP FUNCTION IF EXISTS billing_ledger_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER billing_ledger_no_update BEFORE UPDATE ON billing_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'billing ledger entries are append-only'); END;",
    "CREATE TRIGGER billing_ledger_no_delete BEFORE DELETE ON billing_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'billing ledger entries are append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS billing_ledger_no_update;",
    "DROP TRIGGER IF EXISTS billing_ledger_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        # A plain cursor: the function body's "%" is not a query parameter.
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_ledger_invoices_payments")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}),
        ),
    ]
