"""Demo street issues: graffiti, littering and broken lighting are the streets and parks
department's, and the year's events in them its tasks. Those older than a few weeks were
acknowledged and resolved by the department; the newest wait, some of them overdue."""

from __future__ import annotations

from django.db import connection

from incidents.models import Category, DepartmentTask, DepartmentTaskStep, Incident
from trygghet.accounts.demo import STREETS
from trygghet.accounts.models import Department, User
from trygghet.core.demodata import DemoContext

STREET_CATEGORIES = ("graffiti", "littering", "broken_lighting")


def street_tasks(ctx: DemoContext, *, after_id: int) -> None:
    streets = Department.objects.filter(name=STREETS).first()
    if streets is None:
        return
    Category.objects.filter(code__in=STREET_CATEGORIES, department__isnull=True).update(
        department=streets
    )
    staff = User.objects.filter(department=streets).order_by("pk").first()
    task, step = DepartmentTask._meta.db_table, DepartmentTaskStep._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(ctx.seed % 1000) / 1000])
        # Resolved after a few days when older than three weeks, acknowledged when older than
        # one week (some of those linger past the overdue limit), open when newer.
        cursor.execute(
            f"""
            INSERT INTO {task} (incident_id, department_id, found_at, state, resolved_at,
                                notified_at)
            SELECT i.id, c.department_id, i.occurred_at,
                   CASE WHEN i.occurred_at < %(now)s - interval '21 days' THEN 'resolved'
                        WHEN i.occurred_at < %(now)s - interval '7 days' THEN 'acknowledged'
                        ELSE 'open' END,
                   CASE WHEN i.occurred_at < %(now)s - interval '21 days'
                        THEN i.occurred_at + (2 + floor(random() * 10)) * interval '1 day' END,
                   i.occurred_at + interval '1 minute'
            FROM {Incident._meta.db_table} i
            JOIN {Category._meta.db_table} c ON c.id = i.category_id
            WHERE i.id > %(after)s AND c.department_id IS NOT NULL AND c.kind = 'event'
            """,
            {"now": ctx.now, "after": after_id},
        )
        if staff is None:
            return
        cursor.execute(
            f"""
            INSERT INTO {step} (task_id, from_state, state, at, by_id, note)
            SELECT t.id, '', 'open', t.found_at, i.reported_by_id, ''
            FROM {task} t JOIN {Incident._meta.db_table} i ON i.id = t.incident_id
            WHERE t.incident_id > %(after)s
            UNION ALL
            SELECT t.id, 'open', 'acknowledged', t.found_at + interval '1 day', %(staff)s, ''
            FROM {task} t WHERE t.incident_id > %(after)s AND t.state <> 'open'
            UNION ALL
            SELECT t.id, 'acknowledged', 'resolved', t.resolved_at, %(staff)s,
                   'Åtgärdat av gatuenheten.'
            FROM {task} t WHERE t.incident_id > %(after)s AND t.state = 'resolved'
            """,
            {"after": after_id, "staff": staff.pk},
        )
