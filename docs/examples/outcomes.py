#!/usr/bin/env python3
"""Print the cost per outcome of every partnership, from the outcomes report.

    BASE_URL=http://127.0.0.1:8080 SAMVERKAN_USER=lasare@demo.samverkan.se \
    SAMVERKAN_PASSWORD=samverkan-demo python3 outcomes.py
"""
import os

import requests

base = os.environ.get("BASE_URL", "http://127.0.0.1:8080")
session = requests.Session()

token = session.post(f"{base}/api/v1/auth/token", data={
    "grant_type": "password",
    "username": os.environ["SAMVERKAN_USER"],
    "password": os.environ["SAMVERKAN_PASSWORD"],
}, timeout=30)
token.raise_for_status()
session.headers["Authorization"] = "Bearer " + token.json()["access_token"]

report = session.get(f"{base}/api/v1/reports/outcomes", timeout=30)
report.raise_for_status()
for row in report.json()["tables"]["cost_per_outcome"]:
    cost = f"{row['cost_per_outcome_sek']:,.0f}".replace(",", " ")
    print(f"{row['reference']}\t{row['indicator']}\t{cost} kr")

# Errors are problem details: show the title and detail, not a stack trace.
bad = session.get(f"{base}/api/v1/reports/outcomes", params={"year": "förra året"}, timeout=30)
if bad.status_code == 400:
    problem = bad.json()
    print("refused as expected:", problem["code"], "-", ", ".join(e["field"] for e in problem["errors"]))
