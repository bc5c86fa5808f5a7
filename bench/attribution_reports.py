# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attribution and response-time reports on 100,000 leads (issue 7, issue 8 scenario 6).

Run inside an Odoo shell of a database with lead_lifecycle installed:

    bash tools/ll.sh odoo shell -d <db> < bench/attribution_reports.py

Generates the leads with one INSERT ... SELECT (deterministic: setseed), times each
report query (median of 3, after one warm-up run), prints a Markdown table and rolls
everything back.
"""

import os
import platform
import statistics
import time

from odoo.tools import SQL

N = int(os.environ.get("BENCH_LEADS", "100000"))
env = env  # noqa: F821 - given by odoo shell
cr = env.cr


def timed(label, func, rows=None):
    func()
    runs = []
    for _run in range(3):
        env.invalidate_all()
        start = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - start)
    print(
        f"| {label} | {rows if rows is not None else len(result)} "
        f"| {statistics.median(runs):.3f} |"
    )
    return result


company = env.company
Team = env["crm.team"]
teams = Team.create(
    [{"name": f"Bench team {i}", "response_sla_hours": 4 + 4 * i} for i in range(5)]
)
users = env["res.users"].create(
    [
        {"name": f"Bench user {i}", "login": f"bench_attr_{i}@example.com"}
        for i in range(20)
    ]
)
campaigns = env["utm.campaign"].create(
    [{"name": f"Bench campaign {i}", "cost": 1000 + 250 * i} for i in range(50)]
)
sources = env["utm.source"].create([{"name": f"Bench source {i}"} for i in range(10)])
media = env["utm.medium"].create([{"name": f"Bench medium {i}"} for i in range(5)])
stages = env["crm.stage"].search([])
won_stage = stages.filtered("is_won")[:1]
open_stages = stages.filtered(lambda s: not s.is_won)
reasons = env["crm.lost.reason"].search([])
env.flush_all()

start = time.perf_counter()
cr.execute("SELECT setseed(0.7)")
cr.execute(
    SQL(
        """
    INSERT INTO crm_lead (name, type, active, company_id, team_id, user_id,
                          campaign_id, source_id, medium_id, stage_id, lost_reason_id,
                          lifecycle_state, first_two_way_date, date_conversion,
                          expected_revenue, probability, first_response_date,
                          response_delay_hours, response_overdue, create_date,
                          write_date, create_uid, write_uid, email_from)
    SELECT 'Bench lead ' || g, k.type, k.state <> 'disqualified', %(company)s,
           (%(teams)s)[1 + mod(g, 5)], (%(users)s)[1 + mod(g, 20)],
           (%(campaigns)s)[1 + mod(g * 7, 50)], (%(sources)s)[1 + mod(g, 10)],
           (%(media)s)[1 + mod(g, 5)],
           CASE WHEN k.won THEN %(won)s ELSE (%(open)s)[1 + mod(g, %(n_open)s)] END,
           CASE WHEN k.state = 'disqualified'
                THEN (%(reasons)s)[1 + mod(g, %(n_reasons)s)] END,
           k.state,
           CASE WHEN k.state IN ('contacted', 'qualified')
                THEN k.created + interval '1 day' END,
           CASE WHEN k.type = 'opportunity' THEN k.created + interval '3 days' END,
           round((random() * 20000)::numeric, 2), CASE WHEN k.won THEN 100 ELSE 10 END,
           CASE WHEN k.delay IS NOT NULL
                THEN k.created + k.delay * interval '1 hour' END,
           k.delay, k.delay IS NULL OR k.delay > 8, k.created, k.created, 1, 1,
           'bench' || g || '@example.com'
      FROM generate_series(1, %(n)s) g
CROSS JOIN LATERAL (
        SELECT s.*, s.type = 'opportunity' AND random() < 0.3 AS won
          FROM (
            SELECT r.*,
                   CASE WHEN r.state = 'qualified' AND random() < 0.6
                        THEN 'opportunity' ELSE 'lead' END AS type
              FROM (
                SELECT timestamp '2025-01-01' + random() * interval '365 days'
                           AS created,
                       (ARRAY['new', 'contacted', 'qualified', 'disqualified'])
                           [1 + floor(random() * 4)::int] AS state,
                       CASE WHEN random() < 0.85 THEN (random() ^ 3) * 72 END AS delay,
                       g AS seq
              ) r
          ) s
     ) k
        """,
        company=company.id,
        teams=teams.ids,
        users=users.ids,
        campaigns=campaigns.ids,
        sources=sources.ids,
        media=media.ids,
        won=won_stage.id,
        open=open_stages.ids,
        n_open=len(open_stages),
        reasons=reasons.ids,
        n_reasons=len(reasons),
        n=N,
    )
)
cr.execute("ANALYZE crm_lead")
print(f"Generated {N} leads in {time.perf_counter() - start:.1f} s\n")

cr.execute("SELECT count(*) FROM crm_lead")
total = cr.fetchone()[0]
print(f"{total} leads in the database; {os.cpu_count()} cores, {platform.platform()}\n")
print("| Query | Groups / rows | Median of 3 (s) |")
print("|---|---|---|")

Lifecycle = env["crm.lead.lifecycle.report"]
Funnel = env["crm.lead.funnel.report"]
Campaigns = env["utm.campaign.lifecycle.report"]
counts = [
    "lead_count:sum",
    "contacted_count:sum",
    "qualified_count:sum",
    "disqualified_count:sum",
    "opportunity_count:sum",
    "won_count:sum",
    "won_revenue:sum",
    "won_rate:avg",
]
timed(
    "Lifecycle by campaign (all measures)",
    lambda: Lifecycle.read_group([], counts, ["campaign_id"]),
)
timed(
    "Lifecycle by team x month",
    lambda: Lifecycle.read_group(
        [], counts, ["team_id", "create_date:month"], lazy=False
    ),
)
timed(
    "Lifecycle by source, one campaign",
    lambda: Lifecycle.read_group(
        [("campaign_id", "=", campaigns[0].id)], counts, ["source_id"]
    ),
)
timed(
    "Response time by salesperson",
    lambda: Lifecycle.read_group(
        [],
        ["response_delay_hours:avg", "within_sla_rate:avg", "answered_count:sum"],
        ["user_id"],
    ),
)
timed(
    "Conversion by response-delay bucket",
    lambda: Lifecycle.read_group(
        [], ["lead_count:sum", "won_rate:avg"], ["response_bucket"]
    ),
)
timed(
    "Funnel by stage x team",
    lambda: Funnel.read_group(
        [], ["lead_count:sum"], ["funnel_stage", "team_id"], lazy=False
    ),
)
timed(
    "Campaign report, all campaigns (list)",
    lambda: Campaigns.search_read(
        [],
        ["lead_count", "qualified_count", "cost_per_qualified", "revenue_cost_ratio"],
    ),
)
timed(
    "Campaign smart buttons (50 campaigns)",
    lambda: campaigns.read(
        ["lifecycle_qualified_count", "lifecycle_revenue_cost_ratio"]
    ),
)
cr.execute(
    "UPDATE crm_lead SET response_overdue = FALSE, first_response_date = NULL "
    "WHERE id IN (SELECT id FROM crm_lead WHERE name LIKE 'Bench lead %' LIMIT 2000)"
)
env.invalidate_all()


def sla_cron():
    # Each run flags the same leads: undo it after the measure.
    cr.execute("SAVEPOINT bench_sla")
    flagged = env["crm.lead"]._cron_lifecycle_response_overdue()
    env.flush_all()
    count = len(flagged)
    cr.execute("ROLLBACK TO SAVEPOINT bench_sla")
    env.invalidate_all()
    return range(count)


timed("SLA cron (2,000 unanswered leads)", sla_cron)
cr.rollback()
