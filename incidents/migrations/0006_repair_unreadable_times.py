"""Before the database refuses times outside 1970–2099, mend the rows the forms let through with
such a time (year 1 was stored as a year BC, which psycopg cannot read, so every list failed):
the time a row was saved stands in for the time it describes. The incident's history keeps the
repair as a change, with the stand-in in the old version too, so the history can be read."""

from django.db import migrations


def unreadable(column: str) -> str:
    return f"({column} < '1970-01-01' OR {column} >= '2100-01-01')"


REPAIRS = [
    f"UPDATE incidents_incident SET occurred_at = created_at WHERE {unreadable('occurred_at')}",
    "UPDATE incidents_incidentversion AS version SET occurred_at = incident.created_at"
    " FROM incidents_incident AS incident WHERE version.pgh_obj_id = incident.id"
    f" AND {unreadable('version.occurred_at')}",
    f"UPDATE incidents_citizencontact SET received_at = created_at WHERE {unreadable('received_at')}",
    # A call's arrival may not precede the call, so an unreadable arrival goes first, and the
    # call's stand-in is never after the arrival.
    f"UPDATE incidents_escalation SET arrived_at = NULL WHERE {unreadable('arrived_at')}",
    "UPDATE incidents_escalation SET called_at = LEAST(created_at, COALESCE(arrived_at, created_at))"
    f" WHERE {unreadable('called_at')}",
]


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_index_by_time_for_the_lagesbild")]

    operations = [migrations.RunSQL(sql, reverse_sql=migrations.RunSQL.noop) for sql in REPAIRS]
