# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install cost of lead_lifecycle on a CRM already in use (issue 16).

Copies a stock database (crm, mass_mailing, mass_mailing_crm; no lead_lifecycle),
inserts N historic leads by SQL (half opportunities; won, lost with reasons, leads),
then times `odoo -i lead_lifecycle` in a subprocess and reads its peak RSS; the same
install on the stock database without the extra leads is the baseline.

    python bench/bench_install.py --template ll_install_stock --leads 100000

Run from the worktree (uses .local/odoo.conf); prints one line per run.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PSQL = ["psql", "-h", os.environ.get("PGHOST", "/work/main/.local/pg"), "-U", "odoo"]

LEADS_SQL = """
INSERT INTO crm_lead (name, type, active, probability, stage_id, team_id, company_id,
    user_id, email_from, email_normalized, email_state, expected_revenue, priority,
    create_date, write_date, create_uid, write_uid, date_conversion, date_closed,
    lost_reason_id, partner_id, contact_name, partner_name)
SELECT 'Historic ' || g,
       CASE WHEN g %% 2 = 0 THEN 'opportunity' ELSE 'lead' END,
       NOT (g %% 10 IN (3, 7)),
       CASE WHEN g %% 10 = 4 AND g %% 2 = 0 THEN 100 WHEN g %% 10 IN (3, 7) THEN 0
            ELSE 10 END,
       CASE WHEN g %% 10 = 4 AND g %% 2 = 0 THEN %(won)s ELSE %(stage)s END,
       %(team)s, 1, 2,
       'contact' || g || '@historic' || (g %% 997) || '.example',
       'contact' || g || '@historic' || (g %% 997) || '.example',
       'correct', (g %% 7) * 1000, '0',
       now() - (g %% 1000) * interval '1 day',
       now() - (g %% 900) * interval '1 day', 2, 2,
       CASE WHEN g %% 2 = 0 THEN now() - (g %% 800) * interval '1 day' END,
       CASE WHEN g %% 10 IN (3, 4, 7) THEN now() - (g %% 700) * interval '1 day' END,
       CASE WHEN g %% 10 IN (3, 7) THEN %(reason)s END,
       CASE WHEN g %% 2 = 0 AND g %% 3 = 0 THEN %(partner)s END,
       'Contact ' || g, 'Company ' || (g %% 997)
  FROM generate_series(1, %(n)s) AS g;
"""


def psql(db, sql):
    return subprocess.run(
        [*PSQL, "-d", db, "-v", "ON_ERROR_STOP=1", "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def copy_db(template, name):
    psql("postgres", f"DROP DATABASE IF EXISTS {name}")
    psql("postgres", f"CREATE DATABASE {name} TEMPLATE {template}")
    store = ROOT / ".local/data/filestore"
    shutil.rmtree(store / name, ignore_errors=True)
    if (store / template).exists():
        shutil.copytree(store / template, store / name)


def install(db, port):
    odoo = Path(sys.executable).parent / "odoo"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    with open(f"/tmp/bench_install_{db}.log", "w") as log:
        subprocess.run(
            [
                str(odoo),
                "-c",
                str(ROOT / ".local/odoo.conf"),
                "-d",
                db,
                "-i",
                "lead_lifecycle",
                "--stop-after-init",
                "--max-cron-threads=0",
                f"--http-port={port}",
            ],
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", default="ll_install_stock")
    parser.add_argument("--leads", type=int, default=100000)
    parser.add_argument("--port", type=int, default=8978)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    if not args.skip_baseline:
        copy_db(args.template, "ll_bench_install_0")
        seconds, rss = install("ll_bench_install_0", args.port)
        print(f"install, 0 extra leads: {seconds:.1f} s, peak RSS {rss:.0f} MB")
    db = "ll_bench_install_n"
    copy_db(args.template, db)
    won = psql(db, "SELECT id FROM crm_stage WHERE is_won ORDER BY sequence LIMIT 1")
    stage = psql(
        db,
        "SELECT id FROM crm_stage WHERE NOT COALESCE(is_won, FALSE) "
        "ORDER BY sequence LIMIT 1",
    )
    team = psql(db, "SELECT id FROM crm_team ORDER BY id LIMIT 1")
    reason = psql(db, "SELECT id FROM crm_lost_reason ORDER BY id LIMIT 1")
    partner = psql(
        db,
        "SELECT id FROM res_partner WHERE email IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    sql = LEADS_SQL % {
        "won": won,
        "stage": stage,
        "team": team,
        "reason": reason,
        "partner": partner,
        "n": args.leads,
    }
    psql(db, sql)
    psql(db, "ANALYZE crm_lead")
    total = psql(
        db,
        "SELECT count(*), count(*) FILTER (WHERE type = 'opportunity') FROM crm_lead",
    )
    seconds, rss = install(db, args.port)
    print(
        f"install, {args.leads} extra leads (leads, opportunities: {total}): "
        f"{seconds:.1f} s, peak RSS {rss:.0f} MB"
    )
    print(
        psql(db, "SELECT lifecycle_state, count(*) FROM crm_lead GROUP BY 1 ORDER BY 1")
    )


if __name__ == "__main__":
    main()
