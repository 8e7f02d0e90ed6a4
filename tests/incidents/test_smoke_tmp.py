def test_pages_render(client_as, incident, others_incident):
    for role in ("chief", "host", "partner"):
        c = client_as(role)
        for url in ["/incidents/", f"/incidents/{incident.pk}/", "/citizen-contacts/", "/night-button/", "/start/", "/incidents/map/", "/incidents/export.csv"]:
            r = c.get(url)
            print(role, url, r.status_code)
    c = client_as("host")
    print(c.get("/incidents/new/?category=graffiti").status_code)
    print(c.get(f"/incidents/{incident.pk}/edit/").status_code)
