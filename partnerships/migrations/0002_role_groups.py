from django.db import migrations

ROLES = [
    "visiting_officer",
    "team_manager",
    "partnership_manager",
    "board_secretary",
    "finance_officer",
    "finance_approver",
    "admin",
]


def create_role_groups(apps, schema_editor):
    """Each staff role is a Django group of the same name, so admins assign roles in the admin."""
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
