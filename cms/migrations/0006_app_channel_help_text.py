from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_moderated_reference_data")]

    operations = [
        migrations.AlterField(
            model_name="serviceguidepage",
            name="app_channel",
            field=models.CharField(
                blank=True,
                help_text="如 “i城市”客户端、微信小程序",
                max_length=100,
                verbose_name="掌上办理",
            ),
        ),
    ]
