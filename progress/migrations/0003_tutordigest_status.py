# The weekly digest goes through the task queue (progress.tasks): its row is
# the claim on sending, with the state of the sending.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0002_cohort_courses'),
    ]

    operations = [
        # Rows written before this migration stand for digests already sent.
        migrations.AddField(
            model_name='tutordigest',
            name='status',
            field=models.CharField(choices=[('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed')], default='sent', max_length=8, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='tutordigest',
            name='status',
            field=models.CharField(choices=[('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed')], default='sending', max_length=8, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='tutordigest',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, help_text='Times the mail server was asked to send it.', verbose_name='attempts'),
        ),
        migrations.AddField(
            model_name='tutordigest',
            name='last_error',
            field=models.TextField(blank=True, help_text='What the mail server answered, if it refused.', verbose_name='last error'),
        ),
        migrations.AddField(
            model_name='tutordigest',
            name='claimed_at',
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name='claimed'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='tutordigest',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='sent'),
        ),
    ]
