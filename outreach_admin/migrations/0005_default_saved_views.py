"""The shared saved views everyone starts with (issue 9)."""

from django.db import migrations

# (name, url_name, query): the parameter names are those of the list pages' filter sets.
DEFAULT_VIEWS = [
    ("Window opens in 14 days", "marketing:renewal_list", "opens_within=14"),
    ("Ready to launch", "marketing:renewal_list", "ready=yes"),
    ("Overdue handoffs", "marketing:handoff_list", "overdue=yes"),
    ("Open CEO slots", "companies:slot_queue", "role_code=CEO"),
]


def create_views(apps, schema_editor):
    SavedView = apps.get_model("outreach_admin", "SavedView")
    db = schema_editor.connection.alias
    for name, url_name, query in DEFAULT_VIEWS:
        SavedView.objects.using(db).get_or_create(
            name=name, owner=None, defaults={"shared": True, "url_name": url_name, "query": query}
        )


def remove_views(apps, schema_editor):
    SavedView = apps.get_model("outreach_admin", "SavedView")
    SavedView.objects.using(schema_editor.connection.alias).filter(
        owner=None, name__in=[name for name, _, _ in DEFAULT_VIEWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach_admin", "0004_saved_view")]
    operations = [migrations.RunPython(create_views, remove_views)]
