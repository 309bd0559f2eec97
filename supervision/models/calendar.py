"""The working-day calendar: Monday to Friday work, except where a day says otherwise.

Only exceptions are stored: public holidays that fall on weekdays, and make-up working days
(调休) that fall on weekends. The State Council publishes each year's arrangement in
November (e.g. 国办发明电〔2025〕7号 for 2026); managers enter or correct it in the admin.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel


class CalendarDay(models.Model):
    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField(
        "是否工作日", help_text="勾选：周末调休上班；不勾选：法定节假日（工作日放假）"
    )
    name = models.CharField("说明", max_length=50, help_text="如 春节、国庆节调休上班")

    panels = [FieldPanel("date"), FieldPanel("is_working_day"), FieldPanel("name")]

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self):
        kind = "上班" if self.is_working_day else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"

    def clean(self):
        # An entry that repeats the weekday rule changes nothing and hides a typo.
        if self.date and self.is_working_day == (self.date.weekday() < 5):
            usual = "工作日" if self.date.weekday() < 5 else "休息日"
            raise ValidationError(
                {"is_working_day": f"{self.date:%Y-%m-%d} 本来就是{usual}，无需登记。"}
            )
