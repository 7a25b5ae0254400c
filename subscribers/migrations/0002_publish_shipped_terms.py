"""A fresh install publishes the service terms shipped in subscribers/terms/ (issue 14)."""

from django.db import migrations


def publish(apps, schema_editor):
    from subscribers.terms import shipped_version

    TermsVersion = apps.get_model("subscribers", "TermsVersion")
    version_date, title, text, published_at = shipped_version()
    if not TermsVersion.objects.filter(version_date=version_date).exists():
        TermsVersion.objects.create(
            version_date=version_date, title=title, text=text, published_at=published_at
        )


class Migration(migrations.Migration):
    dependencies = [("subscribers", "0001_initial")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
