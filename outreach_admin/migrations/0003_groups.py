"""The three user groups: coordinators act, viewers only look, admins do everything."""

from django.db import migrations

DOMAIN_APPS = ["companies", "people", "marketing", "intake", "signals"]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; create them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None

    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = list(Permission.objects.using(db).filter(content_type__app_label__in=DOMAIN_APPS))
    groups = {
        "viewer": [p for p in domain if p.codename.startswith("view_")],
        "coordinator": domain,
        "admin": list(Permission.objects.using(db).all()),
    }
    for name, permissions in groups.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name__in=["viewer", "coordinator", "admin"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outreach_admin", "0002_runtime_grants"),
        ("companies", "0003_company_rules"),
        ("people", "0002_people_rules"),
        ("marketing", "0002_marketing_rules"),
        ("signals", "0002_signal_rules"),
        ("intake", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
