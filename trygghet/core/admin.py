"""The background jobs in the admin: procrastinate's own list of jobs (with each job's events,
its tries and why it failed), made searchable by the task's name."""

from django.contrib import admin
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob

admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(ProcrastinateJobAdmin):
    search_fields = ["task_name", "queueing_lock"]
