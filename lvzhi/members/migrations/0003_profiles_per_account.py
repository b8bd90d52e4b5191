"""An account may hold several profiles (capacities). Every existing profile was its account's only one: it
becomes the account's primary profile, so every account acts exactly as before."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_primary(apps, schema_editor):
    apps.get_model("members", "Profile").objects.update(primary=True)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_unit_categories'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='profile',
            options={'ordering': ['-primary', 'id'], 'verbose_name': '账号信息', 'verbose_name_plural': '账号信息'},
        ),
        migrations.AddField(
            model_name='profile',
            name='primary',
            field=models.BooleanField(default=False, verbose_name='主身份'),
        ),
        migrations.RunPython(mark_primary, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='profile',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='profiles', related_query_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='账号'),
        ),
        migrations.AddConstraint(
            model_name='profile',
            constraint=models.UniqueConstraint(condition=models.Q(('primary', True)), fields=('user',), name='one_primary_profile'),
        ),
    ]
