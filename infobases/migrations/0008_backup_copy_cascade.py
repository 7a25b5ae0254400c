from django.db import migrations


def cascade_copies_in_postgresql(apps, schema_editor):
    """A backup's copy rows go with it in the database itself (the model says DO_NOTHING so that
    Django deletes backups in one statement per chunk without loading them)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        DO $$
        DECLARE name text;
        BEGIN
            SELECT conname INTO name FROM pg_constraint
            WHERE conrelid = 'infobases_backupcopy'::regclass AND contype = 'f'
              AND confrelid = 'infobases_backup'::regclass;
            EXECUTE format('ALTER TABLE infobases_backupcopy DROP CONSTRAINT %I', name);
            ALTER TABLE infobases_backupcopy ADD CONSTRAINT backupcopy_backup_cascade
                FOREIGN KEY (backup_id) REFERENCES infobases_backup (id)
                ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
        END $$;
        """,
        None,  # no parameters: the %I above is format()'s, not a placeholder
    )


class Migration(migrations.Migration):
    # Its own migration: Django adds 0006's foreign keys only at the end of that migration.
    dependencies = [("infobases", "0007_backup_targets")]

    operations = [migrations.RunPython(cascade_copies_in_postgresql, migrations.RunPython.noop)]
