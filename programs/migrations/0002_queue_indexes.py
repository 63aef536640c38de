from django.db import migrations, models

TRIGRAM_INDEX = "application_search_text_trgm"


def create_trigram_index(apps, schema_editor):
    # The queue's search box matches names with LIKE '%…%' on search_text, which a B-tree cannot
    # serve and a trigram index can (queries of three characters or more). PostgreSQL only.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {TRIGRAM_INDEX} ON programs_application USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_plain_text_names"),
        ("enterprises", "0009_more_document_types"),
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["unit", "-status_changed_at", "-id"], name="application_changed_idx"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["unit", "enterprise_name_en", "id"], name="application_name_idx"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["call", "-submitted_at", "-id"], name="application_call_queue_idx"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
