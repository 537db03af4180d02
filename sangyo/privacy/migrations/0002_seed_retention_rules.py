"""Seed the retention rules with their defaults (sangyo.privacy.retention.KINDS). The
figures are placeholders for the city's decision; administrators change them in the admin.
Existing rows are never overwritten."""

from django.db import migrations


def seed(apps, schema_editor):
    from sangyo.privacy.retention import KINDS

    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind in KINDS.values():
        RetentionRule.objects.get_or_create(
            kind=kind.code,
            defaults={
                "days": kind.default_days,
                "action": kind.default_action,
                "legal_basis": kind.basis,
                "enabled": kind.enabled,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
