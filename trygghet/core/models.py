from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMail(models.Model):
    """That an e-mail which must go out once went out: a reminder for a deviation at one
    threshold, a week's lägesbild to one reader. Its key names what was sent to whom; a job
    that runs again (a retry, a second worker, the next scan) finds it and sends nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self) -> str:
        return self.key
