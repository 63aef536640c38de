from django.db import migrations, models

from hkhz_portal.core.search import normalise_names

TRIGRAM_INDEX = "enterprise_search_names_trgm"


def fill_search_names(apps, schema_editor):
    """Give every existing enterprise the search form its next save would give it."""
    Enterprise = apps.get_model("enterprises", "Enterprise")
    rows = list(Enterprise.objects.only("legal_name_en", "legal_name_zh", "short_name"))
    for enterprise in rows:
        enterprise.search_names = normalise_names(
            enterprise.legal_name_en, enterprise.legal_name_zh, enterprise.short_name
        )
    Enterprise.objects.bulk_update(rows, ["search_names"], batch_size=500)


def create_trigram_index(apps, schema_editor):
    # The directory searches with LIKE '%…%', which a B-tree cannot serve and a trigram index
    # can (for queries of three characters or more). PostgreSQL only: SQLite has no such index.
    # pg_trgm is a trusted extension (PostgreSQL 13+): a user with CREATE on the database may add it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {TRIGRAM_INDEX} ON enterprises_enterprise USING gin (search_names gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    # The extension stays: other indexes may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_profile_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="search_names",
            field=models.TextField(blank=True, editable=False, verbose_name="names as searched"),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
