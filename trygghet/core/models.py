from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionLog(models.Model):
    """One line of a retention run's account (trygghet/core/retention.py): kept so that the
    data protection officer can see what was removed, when, under which period, and what a
    legal hold kept."""

    run_at = models.DateTimeField(_("run at"), default=timezone.now, db_index=True)
    dry_run = models.BooleanField(_("dry run"))
    app = models.CharField(_("app"), max_length=50)
    record_type = models.CharField(_("record type"), max_length=100)
    removed = models.PositiveIntegerField(_("removed"))
    period_days = models.PositiveIntegerField(_("period (days)"), null=True, blank=True)
    held = models.PositiveIntegerField(_("kept under a legal hold"), default=0)

    class Meta:
        verbose_name = _("retention log entry")
        verbose_name_plural = _("retention log")
        ordering = ["-run_at", "id"]

    def __str__(self) -> str:
        return f"{self.run_at:%Y-%m-%d %H:%M} {self.app}: {self.record_type} {self.removed}"


class LegalHold(models.Model):
    """A record the chief keeps from retention, for example while a police case needs it; the
    note says why. Retention skips it and counts it in its log."""

    legal_hold = models.BooleanField(_("legal hold"), default=False, db_default=False)
    legal_hold_note = models.CharField(
        _("reason for the legal hold"), max_length=500, blank=True, db_default=""
    )

    class Meta:
        abstract = True


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
