# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""lead_lifecycle benchmark: each scenario and the matching stock Odoo path, in one
run.

Run it with `make bench` (tools/ll.sh bench), which creates a database with
lead_lifecycle and a stock Odoo database with the Odoo modules lead_lifecycle builds on
and neither lead_lifecycle nor the OCA modules (no demo data in either), runs this
script with Odoo's Python and writes bench/RESULTS.md. Stock paths run in the stock
database, so that the comparisons are with Odoo as it ships.

Every scenario runs 3 times on fresh, deterministic data inside a savepoint that is
rolled back afterwards; the median wall time is reported with rows/s, the peak RSS of
this process during the scenario (VmHWM, reset before each scenario), and the ratio to
its stock counterpart and to PostgreSQL's COPY of the same number of rows.
"""

import argparse
import csv
import datetime
import io
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time

from freezegun import freeze_time

from odoo import Command
from odoo.tools import SQL

SCALE = {
    # scenario sizes; BENCH_SCALE=small divides them for a quick check of the harness
    "full": 1,
    "small": 10,
    "tiny": 100,
}


# ----------------------------------------------------------------------------
# Measurement
# ----------------------------------------------------------------------------


def _reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Bench:
    def __init__(self, env, stock_env, scale, repeat=3):
        self.env = env
        self.stock_env = stock_env
        self.repeat = repeat
        self.div = SCALE[scale]
        self.results = []  # dicts
        self.rng = random.Random(18)

    def n(self, rows):
        return max(rows // self.div, 10)

    def measure(self, name, rows, prepare, run, after=None, note="", env=None):
        """prepare(i) -> state (not timed); run(state) -> None (timed); after(state)
        (not timed, optional) -> text appended to the result's note, e.g. a check of
        the outcome. Each repetition runs in a savepoint of `env`'s transaction (the
        lead_lifecycle database by default, `self.stock_env` for stock paths) rolled
        back afterwards."""
        env = env or self.env
        times, peaks, notes = [], [], []
        for i in range(self.repeat):
            cr = env.cr
            cr.execute("SAVEPOINT bench")
            try:
                state = prepare(i)
                env.flush_all()
                _reset_peak_rss()
                t0 = time.perf_counter()
                run(state)
                # what a commit runs before committing (tracking, digests)
                env.flush_all()
                cr.precommit.run()
                times.append(time.perf_counter() - t0)
                peaks.append(_peak_rss_mb())
                if after:
                    notes.append(after(state))
            finally:
                env.invalidate_all()
                cr.execute("ROLLBACK TO SAVEPOINT bench")
                env.invalidate_all()
        result = {
            "name": name,
            "rows": rows,
            "seconds": statistics.median(times),
            "all": times,
            "rss": max(peaks),
            "note": "; ".join(dict.fromkeys(filter(None, [note, *notes]))),
        }
        self.results.append(result)
        print(
            f"{name:<60} {rows:>8} rows  {result['seconds']:8.2f} s  "
            f"{rows / result['seconds']:10.0f} rows/s  {result['rss']:7.0f} MB  "
            f"{result['note']}",
            flush=True,
        )
        return result

    def result(self, name):
        return next(r for r in self.results if r["name"] == name)

    def find_all(self, name):
        """Results named `name`, or starting with it when it ends with "*"; for the
        rented-list import (several sizes) the largest one."""
        if not name.endswith("*"):
            return [r for r in self.results if r["name"] == name]
        found = [r for r in self.results if r["name"].startswith(name[:-1])]
        if name == f"{RENTED}*":
            found = sorted(found, key=lambda r: r["rows"])[-1:]
        return found

    def find(self, name):
        return next(iter(self.find_all(name)), None)

    # ------------------------------------------------------------------------
    # Deterministic realistic data
    # ------------------------------------------------------------------------

    FIRST = "Anna Bruno Chloe David Elena Felix Greta Hugo Ines Jonas Karin".split()
    LAST = "Peeters Janssens Maes Jacobs Mertens Willems Claes Dubois Lambert".split()
    WORDS = "North Blue Iron Green Swift Bright Atlas Nova Prime Delta Summit".split()
    KINDS = (
        "Logistics Foods Dental Energy Printing Hotels Tooling Legal Robotics".split()
    )

    def people(self, count, seed=0):
        """Rows with ~3% malformed emails and ~5% duplicates of earlier rows."""
        rng = random.Random(seed)
        countries = self.env["res.country"].search(
            [("code", "in", ["BE", "FR", "DE", "NL", "US"])]
        )
        rows = []
        for i in range(count):
            if rows and rng.random() < 0.05:
                rows.append(dict(rng.choice(rows)))
                continue
            first, last = rng.choice(self.FIRST), rng.choice(self.LAST)
            company = f"{rng.choice(self.WORDS)} {rng.choice(self.KINDS)} {i % 997}"
            domain = company.lower().replace(" ", "-") + ".example"
            email = f"{first.lower()}.{last.lower()}.{i}@{domain}"
            if rng.random() < 0.03:
                email = rng.choice(
                    [email.replace("@", ""), f"{first}@", "@hotmail.com"]
                )
            country = rng.choice(countries)
            rows.append(
                {
                    "first": first,
                    "last": last,
                    "company": company,
                    "email": email,
                    "phone": f"+32 2 {rng.randint(200, 899)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    "country_id": country.id,
                    "country": country.code,
                    "city": rng.choice(["Brussels", "Paris", "Berlin", "Amsterdam"]),
                }
            )
        return rows

    def country_ids(self, env):
        """{country code: id} in the database of `env`."""
        return {c.code: c.id for c in env["res.country"].search([])}

    def lead_vals(self, rows, env=None, **extra):
        """crm.lead values of `rows` for the database of `env` (default: ours)."""
        countries = self.country_ids(env or self.env)
        return [
            {
                "name": f"Request from {r['company']}",
                "type": "lead",
                "contact_name": f"{r['first']} {r['last']}",
                "partner_name": r["company"],
                "email_from": r["email"],
                "phone": r["phone"],
                "country_id": countries[r["country"]],
                "city": r["city"],
                **extra,
            }
            for r in rows
        ]

    def copy_leads(self, rows):
        """The physical floor: COPY the same rows into a table shaped like crm_lead's
        columns we fill."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_copy (name varchar, contact_name "
            "varchar, partner_name varchar, email_from varchar, phone varchar, "
            "country_id int, city varchar) ON COMMIT DROP"
        )
        buf = io.StringIO()
        for r in rows:
            buf.write(
                "\t".join(
                    [
                        f"Request from {r['company']}",
                        f"{r['first']} {r['last']}",
                        r["company"],
                        r["email"],
                        r["phone"],
                        str(r["country_id"]),
                        r["city"],
                    ]
                )
                + "\n"
            )
        buf.seek(0)
        cr.copy_from(
            buf,
            "bench_copy",
            columns=(
                "name",
                "contact_name",
                "partner_name",
                "email_from",
                "phone",
                "country_id",
                "city",
            ),
        )


# ----------------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------------


def scenario_copy_floor(b):
    n = b.n(100_000)
    rows = b.people(n, seed=1)
    b.measure("PostgreSQL COPY of lead rows (floor)", n, lambda i: rows, b.copy_leads)


def scenario_stock_load_and_create(b):
    """Stock path other scenarios compare with: load() (the Import button), in the
    stock database. The same import with lead_lifecycle installed shows what the
    module adds to a user's lead import (its hooks and shipped automation rules).
    Stock crm.lead.create in one batch is measured with scenario 2's rows."""
    n = b.n(1_000)
    rows = b.people(n, seed=2)
    fields = ["name", "contact_name", "partner_name", "email_from", "phone", "city"]
    data = [
        [
            v["name"],
            v["contact_name"],
            v["partner_name"],
            v["email_from"],
            v["phone"],
            v["city"],
        ]
        for v in b.lead_vals(rows)
    ]
    for name, env in ((STOCK_LOAD, b.stock_env), (OUR_LOAD, b.env)):
        b.measure(
            name,
            n,
            lambda i: data,
            lambda d, env=env: env["crm.lead"].load(fields, d),
            env=env,
        )


def scenario_qualify(b):
    """Scenario 3: qualifying 1,000 leads into partners (lead_lifecycle) vs the stock
    mass 'convert to opportunity' wizard creating the partners for the same leads
    (in the stock database)."""
    n = b.n(1_000)
    policy = b.env["crm.qualification.policy"].create(
        {"name": "bench", "min_interactions": 0}
    )
    team = b.env["crm.team"].create(
        {"name": "bench", "use_leads": True, "qualification_policy_id": policy.id}
    )
    stock_team = b.stock_env["crm.team"].create({"name": "bench", "use_leads": True})

    def prepare(i, env=b.env, team=team):
        rows = b.people(n, seed=100 + i)
        return env["crm.lead"].create(
            b.lead_vals(rows, env=env, team_id=team.id, user_id=env.uid)
        )

    def stock(leads):
        wizard = (
            leads.env["crm.lead2opportunity.partner.mass"]
            .with_context(active_model="crm.lead", active_ids=leads.ids)
            .create({"action": "create", "deduplicate": False, "name": "convert"})
        )
        wizard.action_mass_convert()

    def ours(leads):
        b.env["crm.lead.qualify"].with_context(
            active_model="crm.lead", active_ids=leads.ids
        ).create({"create_opportunity": False}).action_qualify()

    b.measure(
        "stock mass convert wizard, creating partners",
        n,
        lambda i: prepare(i, env=b.stock_env, team=stock_team),
        stock,
        env=b.stock_env,
    )
    b.measure("lead_lifecycle mass qualify into partners", n, prepare, ours)


# Rented-list file columns the benchmark maps (what base_import's matching proposes).
LIST_FIELDS = [
    "first_name",
    "last_name",
    "partner_name",
    "function",
    "email",
    "phone",
    "city",
    "country_name",
]
COUNTRY_NAMES = {"BE": "Belgium", "FR": "France", "DE": "Germany", "NL": "Netherlands"}
# base_import.execute_import's context around load() (no batching by the dialog).
IMPORT_CONTEXT = {
    "import_file": True,
    "name_create_enabled_fields": {},
    "import_set_empty_fields": [],
    "import_skip_records": [],
}


def list_rows(b, rows):
    """Rows of a rented-list file as base_import hands them to load(): strings."""
    codes = {c.id: c.code for c in b.env["res.country"].search([])}
    return [
        [
            r["first"],
            r["last"],
            r["company"],
            "Purchasing manager",
            r["email"],
            r["phone"],
            r["city"],
            # one unknown country in 200 rows: flagged by the cleaning
            COUNTRY_NAMES.get(codes[r["country_id"]], "Utopia")
            if i % 200
            else "Utopia",
        ]
        for i, r in enumerate(rows)
    ]


def insert_partners_and_leads(b, count, emails):
    """`count` partners and `count` leads with one INSERT ... SELECT each (the
    matching targets). Every 10th partner and every 10th lead (shifted by 5) has the
    email of a row of the list, so ~20% of the list matches; the others have their
    own addresses."""
    cr = b.env.cr
    partner_emails = [
        emails[g % len(emails)] if g % 10 == 0 else f"partner{g}@crm.example"
        for g in range(count)
    ]
    lead_emails = [
        emails[g % len(emails)] if g % 10 == 5 else f"lead{g}@crm.example"
        for g in range(count)
    ]
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, email, email_normalized, active,
                                 type, is_company, create_uid, write_uid, create_date,
                                 write_date)
        SELECT 'Partner ' || g, 'Partner ' || g, e, lower(e), true, 'contact', false,
               1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM unnest(%s::varchar[]) WITH ORDINALITY AS v(e, g)
        """,
        [partner_emails],
    )
    insert_leads(b, count, emails=lead_emails)


def insert_leads(b, count, emails=None):
    """`count` leads with one INSERT ... SELECT (deterministic: setseed): 5 teams
    with SLAs, 20 salespeople, 50 campaigns with costs, 10 sources, 5 media, every
    lifecycle state, 15% never answered, won and lost opportunities."""
    env, cr = b.env, b.env.cr
    teams = env["crm.team"].create(
        [{"name": f"Bench team {i}", "response_sla_hours": 4 + 4 * i} for i in range(5)]
    )
    users = env["res.users"].create(
        [
            {"name": f"Bench user {i}", "login": f"bench_{count}_{i}@example.com"}
            for i in range(20)
        ]
    )
    campaigns = env["utm.campaign"].create(
        [{"name": f"Bench campaign {i}", "cost": 1000 + 250 * i} for i in range(50)]
    )
    sources = env["utm.source"].create(
        [{"name": f"Bench source {i}"} for i in range(10)]
    )
    media = env["utm.medium"].create([{"name": f"Bench medium {i}"} for i in range(5)])
    stages = env["crm.stage"].search([])
    won_stage = stages.filtered("is_won")[:1]
    open_stages = stages.filtered(lambda s: not s.is_won)
    reasons = env["crm.lost.reason"].search([])
    env.flush_all()
    emails = emails or [f"bench{g}@example.com" for g in range(1, count + 1)]
    cr.execute("SELECT setseed(0.7)")
    cr.execute(
        SQL(
            """
    INSERT INTO crm_lead (name, type, active, company_id, team_id, user_id,
                          campaign_id, source_id, medium_id, stage_id, lost_reason_id,
                          lifecycle_state, first_two_way_date, date_conversion,
                          expected_revenue, probability, first_response_date,
                          response_delay_hours, response_overdue, create_date,
                          write_date, create_uid, write_uid, email_from,
                          email_normalized, score)
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
           e, lower(e), 0
      FROM unnest(%(emails)s::varchar[]) WITH ORDINALITY AS v(e, g)
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
            company=env.company.id,
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
            emails=emails,
        )
    )
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    return campaigns


def scenario_rented_list(b):
    """Scenario 1: a rented-list file through the standard import path (the contact
    model's load() as base_import.execute_import calls it, the list in context), which
    inserts, cleans and matches it against 100,000 partners and 100,000 leads. Run at
    10k, 50k and 100k rows to show the growth; the stock counterpart is crm.lead.load()
    at 1k rows (scenario 'stock')."""
    Contact = b.env["crm.rented.list.contact"]
    sizes = [b.n(10_000), b.n(50_000), b.n(100_000)]
    rows = list_rows(b, b.people(sizes[-1], seed=7))
    emails = [r[4].strip().lower() for r in rows]
    b.env.cr.execute("SAVEPOINT bench_rented")
    insert_partners_and_leads(b, b.n(100_000), emails)
    b.env.flush_all()

    def prepare(i, size):
        rented_list = b.env["crm.rented.list"].create(
            {"name": f"Bench list {size} {i}", "state": "active"}
        )
        return rented_list, rows[:size]

    def run(state):
        rented_list, data = state
        result = Contact.with_context(
            **IMPORT_CONTEXT, default_rented_list_id=rented_list.id
        ).load(LIST_FIELDS, data)
        assert not result["messages"], result["messages"][:3]

    def after(state):
        rented_list, data = state
        b.env.invalidate_all()
        b.env.cr.execute(
            "SELECT match_status, count(*) FROM crm_rented_list_contact "
            "WHERE rented_list_id = %s GROUP BY 1 ORDER BY 1",
            [rented_list.id],
        )
        counts = dict(b.env.cr.fetchall())
        assert sum(counts.values()) == len(data), counts
        return ", ".join(f"{k} {v:,}" for k, v in counts.items())

    for size in sizes:
        b.measure(
            f"lead_lifecycle rented-list import+clean+match, {size:,} rows",
            size,
            lambda i, size=size: prepare(i, size),
            run,
            after=after,
        )
    b.env.cr.execute("ROLLBACK TO SAVEPOINT bench_rented")
    b.env.invalidate_all()


# What the web client's Import dialog sends (base_import/static/src/import_model.js):
# its default options, a window of 2,000 rows per execute_import call.
DIALOG_OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": "",
    "encoding": "",
    "limit": 2000,
    "skip": 0,
    "advanced": True,
    "keep_matches": False,
    "sheets": [],
    "sheet": "",
    "tracking_disable": True,
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "fields": [],
}
DIALOG = "lead_lifecycle rented-list import through the Import dialog"
DIALOG_ONE_CALL = "lead_lifecycle rented-list import in one load() call (same data)"
DIALOG_STOCK = "stock crm.lead import through the Import dialog"


def csv_file(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def dialog_import(env, res_model, content, context=None, windows=None):
    """Import ``content`` as the Import dialog does: upload (create), preview,
    then execute_import window after window, advancing ``skip`` by the returned
    nextrow until it is 0. Each window ends as its request would (flush, pre-commit
    hooks, cache dropped). Appends each window's seconds to ``windows``."""
    env = env(context=dict(env.context, tracking_disable=True, **(context or {})))
    importer = env["base_import.import"].create(
        {
            "res_model": res_model,
            "file": content,
            "file_name": "vendor.csv",
            "file_type": "text/csv",
        }
    )
    preview = importer.parse_preview(dict(DIALOG_OPTIONS))
    assert not preview.get("error"), preview.get("error")
    headers = preview["headers"]
    matches = preview["matches"] or {}
    fields = [
        "/".join(matches[i]) if matches.get(i) else False for i in range(len(headers))
    ]
    options = dict(preview["options"], limit=DIALOG_OPTIONS["limit"])
    skip, ids = 0, 0
    while True:
        t0 = time.perf_counter()
        result = importer.execute_import(fields, headers, dict(options, skip=skip))
        env.flush_all()
        env.cr.precommit.run()
        env.invalidate_all()
        if windows is not None:
            windows.append(time.perf_counter() - t0)
        errors = [m for m in result["messages"] if m.get("type") == "error"]
        assert not errors, errors[:3]
        ids += len(result["ids"])
        skip = result.get("nextrow") or 0
        if not skip:
            return ids


def insert_other_list_contacts(b, count, emails):
    """`count` contacts in 4 other active lists of the company, with one INSERT ...
    SELECT: every 10th has the email of a row of the file (shifted by 3), so ~10% of
    the file is a duplicate in another list; the others have their own addresses."""
    lists = b.env["crm.rented.list"].create(
        [{"name": f"Bench other list {i}", "state": "active"} for i in range(4)]
    )
    b.env.flush_all()
    other_emails = [
        emails[g % len(emails)] if g % 10 == 3 else f"other{g}@lists.example"
        for g in range(count)
    ]
    b.env.cr.execute(
        """
        INSERT INTO crm_rented_list_contact
               (rented_list_id, company_id, import_key, email, email_normalized,
                validity, match_status, response, state, contact_count,
                message_bounce, is_mailable, is_callable, create_uid, write_uid,
                create_date, write_date)
        SELECT (%s::int[])[1 + mod(g, 4)], %s, 'bench-' || g, e, lower(e), 'valid',
               'none', 'none', 'new', 0, 0, true, false, 1, 1,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM unnest(%s::varchar[]) WITH ORDINALITY AS v(e, g)
        """,
        [lists.ids, b.env.company.id, other_emails],
    )


def scenario_dialog(b):
    """Issue 17: a rented-list file of 100,000 rows through the Import dialog's
    path (base_import.import: upload, parse_preview, execute_import in 2,000-row
    windows looping on nextrow), cleaned and matched against 100,000 partners,
    100,000 leads and 200,000 contacts of other active lists; per-window times
    (first, last, max). Beside it, in the same run: the same file in one load()
    call, and for information stock's own import through the same dialog path
    (crm.lead in the stock database, a few hundred rows, tracking off as the
    dialog's default). The target compares with stock crm.lead.load() (scenario
    'stock': run both in one run, see COMPARISONS)."""
    n = b.n(100_000)
    rows = list_rows(b, b.people(n, seed=17))
    emails = [r[4].strip().lower() for r in rows]
    header = [
        "First Name",
        "Last Name",
        "Company",
        "Job Title",
        "Email",
        "Phone 1",
        "City",
        "Country",
    ]
    content = csv_file(header, rows)

    stock_n = max(n // 250, 10)
    stock_rows = b.people(stock_n, seed=18)
    stock_content = csv_file(
        ["Opportunity", "Contact Name", "Company Name", "Email", "Phone", "City"],
        [
            [
                f"Request from {r['company']}",
                f"{r['first']} {r['last']}",
                r["company"],
                r["email"],
                r["phone"],
                r["city"],
            ]
            for r in stock_rows
        ],
    )
    b.measure(
        DIALOG_STOCK,
        stock_n,
        lambda i: stock_content,
        lambda data: dialog_import(b.stock_env, "crm.lead", data),
        env=b.stock_env,
    )

    b.env.cr.execute("SAVEPOINT bench_dialog")
    insert_partners_and_leads(b, b.n(100_000), emails)
    insert_other_list_contacts(b, b.n(200_000), emails)
    b.env.flush_all()
    # Statistics of what exists before the import, as autovacuum keeps them on a
    # live database; the rows the import adds are never analyzed (no ANALYZE).
    b.env.cr.execute("ANALYZE crm_rented_list_contact")
    b.env.cr.execute("ANALYZE res_partner")
    b.env.cr.execute("ANALYZE crm_lead")
    windows = []
    added = []

    def prepare(i):
        windows.clear()
        added.clear()
        return b.env["crm.rented.list"].create(
            {"name": f"Bench dialog list {i}", "state": "active"}
        )

    def run(rented_list):
        added.append(
            dialog_import(
                b.env,
                "crm.rented.list.contact",
                content,
                context={"default_rented_list_id": rented_list.id},
                windows=windows,
            )
        )

    def after(rented_list):
        b.env.cr.execute(
            "SELECT match_status, count(*) FROM crm_rented_list_contact "
            "WHERE rented_list_id = %s GROUP BY 1 ORDER BY 1",
            [rented_list.id],
        )
        counts = dict(b.env.cr.fetchall())
        assert sum(counts.values()) == added[0], (counts, added)
        return (
            f"{len(windows)} windows of {DIALOG_OPTIONS['limit']:,} rows, first "
            f"{windows[0]:.2f} s, last {windows[-1]:.2f} s, max {max(windows):.2f} s, "
            f"{added[0]:,} rows added (file rows identical to a row of an earlier "
            "window share its import key until the import keys count occurrences "
            "across windows); " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )

    b.measure(DIALOG, n, prepare, run, after=after)

    def one_call(rented_list):
        data = [list(row) for row in rows]
        result = (
            b.env["crm.rented.list.contact"]
            .with_context(**IMPORT_CONTEXT, default_rented_list_id=rented_list.id)
            .load(LIST_FIELDS, data)
        )
        assert len(result["ids"]) == n, len(result["ids"])

    b.measure(DIALOG_ONE_CALL, n, prepare, one_call)
    b.env.cr.execute("ROLLBACK TO SAVEPOINT bench_dialog")
    b.env.invalidate_all()


def scenario_promote(b):
    """Scenario 2: promoting 10,000 list contacts to leads (one batch) vs stock
    crm.lead.create of the same rows (one batch, default context)."""
    Contact = b.env["crm.rented.list.contact"]
    n = b.n(10_000)
    rows = list_rows(b, b.people(n, seed=8))

    def prepare(i):
        rented_list = b.env["crm.rented.list"].create(
            {"name": f"Bench promotion {i}", "state": "active"}
        )
        ids = Contact.with_context(default_rented_list_id=rented_list.id).load(
            LIST_FIELDS, rows
        )["ids"]
        return Contact.browse(ids)

    # The stock path creates the very values promotion gives crm.lead (without the
    # rented-list links), read once in our database and moved to the stock one.
    b.env.cr.execute("SAVEPOINT bench_promote")
    stock_countries = b.country_ids(b.stock_env)
    country_codes = {v: k for k, v in b.country_ids(b.env).items()}
    stock_vals = []
    for contact in prepare(0):
        values = contact._prepare_lead_vals()
        for key in ("rented_list_id", "rented_list_contact_id", "partner_id"):
            del values[key]
        code = country_codes.get(values["country_id"])
        values["country_id"] = stock_countries.get(code, False)
        values["company_id"] = b.stock_env.company.id
        stock_vals.append(values)
    b.env.cr.execute("ROLLBACK TO SAVEPOINT bench_promote")
    b.env.invalidate_all()

    b.measure(
        "stock crm.lead.create(), one batch (promotion rows)",
        n,
        lambda i: [dict(values) for values in stock_vals],
        lambda vals: b.stock_env["crm.lead"].create(vals),
        env=b.stock_env,
    )
    b.measure(
        "lead_lifecycle promote list contacts to leads",
        n,
        prepare,
        lambda contacts: contacts._promote(),
    )


def scenario_mailing(b):
    """Scenario 4: 10,000 qualified partners into a mailing list by the automation
    path (res.partner._action_add_to_mailing_lists) vs stock: one mailing.contact
    create per partner with list_ids. Ours runs a second time after the timing: it
    must add nothing and leave no duplicate contact or subscription."""
    n = b.n(10_000)
    rows = b.people(n, seed=9)
    # distinct, well-formed emails: the partners were qualified from leads
    emails = [
        f"{r['first']}.{r['last']}.q{i}@mail.example".lower()
        for i, r in enumerate(rows)
    ]
    cr = b.env.cr

    def prepare(i, env=b.env):
        mailing_list = env["mailing.list"].create({"name": f"Bench list {i}"})
        # qualified_date is lead_lifecycle's: the stock database has no such column
        qualified = SQL(", qualified_date") if env is b.env else SQL()
        env.cr.execute(
            SQL(
                """
            INSERT INTO res_partner (name, complete_name, email, email_normalized,
                                     active, type, is_company, create_uid, write_uid,
                                     create_date, write_date%s)
            SELECT 'Qualified ' || g, 'Qualified ' || g, e, e, true, 'contact',
                   false, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'%s
              FROM unnest(%s::varchar[]) WITH ORDINALITY AS v(e, g)
         RETURNING id
                """,
                qualified,
                SQL(", now() AT TIME ZONE 'UTC'") if env is b.env else SQL(),
                emails,
            )
        )
        partners = env["res.partner"].browse([row[0] for row in env.cr.fetchall()])
        return mailing_list, partners

    def stock(state):
        mailing_list, partners = state
        MailingContact = partners.env["mailing.contact"]
        for partner in partners:
            MailingContact.create(
                {
                    "name": partner.name,
                    "email": partner.email,
                    "list_ids": [Command.link(mailing_list.id)],
                }
            )

    def ours(state):
        mailing_list, partners = state
        partners._action_add_to_mailing_lists(mailing_list)

    def twice(state):
        mailing_list, partners = state
        again = partners._action_add_to_mailing_lists(mailing_list)
        b.env.flush_all()
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT mc.email_normalized FROM mailing_contact mc
                  JOIN mailing_subscription s ON s.contact_id = mc.id
                 WHERE s.list_id = %s GROUP BY 1 HAVING count(*) > 1) d
            """,
            [mailing_list.id],
        )
        duplicates = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mailing_subscription WHERE list_id = %s",
            [mailing_list.id],
        )
        subscribed = cr.fetchone()[0]
        assert not again and not duplicates and subscribed == n, (
            len(again),
            duplicates,
            subscribed,
        )
        return (
            f"run twice: {subscribed:,} subscribed, 2nd run added {len(again)}, "
            f"{duplicates} duplicates"
        )

    b.measure(
        "stock mailing.contact.create per partner",
        n,
        lambda i: prepare(i, env=b.stock_env),
        stock,
        env=b.stock_env,
    )
    b.measure(
        "lead_lifecycle add partners to mailing list (automation)",
        n,
        prepare,
        ours,
        after=twice,
    )


def scenario_decay(b):
    """Scenario 5: the daily score decay cron over 100,000 leads with 3 score events
    each, run the way the cron runner does (call again while leads remain, the
    cursor in a system parameter), without the commits between calls."""
    n = b.n(100_000)
    cr = b.env.cr
    cr.execute("SAVEPOINT bench_decay")
    insert_leads(b, n)
    cr.execute(
        """
        INSERT INTO crm_lead_score_event (lead_id, kind, date, source_model, source_id)
        SELECT l.id, (ARRAY['inbound_email', 'call', 'meeting', 'mailing_opened',
                            'mailing_clicked', 'website_form'])[1 + mod(l.id + k, 6)],
               now() AT TIME ZONE 'UTC' - (mod(l.id * k, 120) || ' days')::interval,
               'mail.message', l.id * 3 + k
          FROM crm_lead l CROSS JOIN generate_series(1, 3) k
         WHERE l.name LIKE 'Bench lead %%'
        """
    )
    cr.execute("ANALYZE crm_lead_score_event")
    Lead = b.env["crm.lead"]
    Param = b.env["ir.config_parameter"].sudo()

    def run(_state):
        calls = 0
        while True:
            Lead._cron_lifecycle_score_decay()
            calls += 1
            if not int(Param.get_param("lead_lifecycle.score_decay_cursor", 0)):
                break
        return calls

    def yesterday(_i):
        """The state the daily run finds: yesterday's run stored every score. Returns
        those scores (untimed) to count what today's run changes."""
        with freeze_time(datetime.datetime.now() - datetime.timedelta(days=1)):
            run(None)
        cr.execute("SELECT array_agg(score ORDER BY id) FROM crm_lead")
        return cr.fetchone()[0]

    def after(_state):
        cr.execute("SELECT count(*) FROM crm_lead WHERE score > 0")
        return f"{cr.fetchone()[0]:,} leads with a score; batches of 50,000 leads"

    def daily_after(scores):
        cr.execute("SELECT array_agg(score ORDER BY id) FROM crm_lead")
        changed = sum(x != y for x, y in zip(scores, cr.fetchone()[0], strict=True))
        return (
            f"{after(None)}; yesterday's run had stored every score, today's "
            f"changed {changed:,}"
        )

    b.measure(
        "lead_lifecycle score decay cron, first run (every score from 0)",
        n,
        lambda i: None,
        run,
        after=after,
    )
    b.measure(
        "lead_lifecycle score decay cron",
        n,
        yesterday,
        run,
        after=daily_after,
    )
    cr.execute("ROLLBACK TO SAVEPOINT bench_decay")
    b.env.invalidate_all()


def scenario_reports(b):
    """Scenario 6: the campaign and response-time report queries (read_group on the
    reporting views) over 100,000 leads; one SQL statement each."""
    n = b.n(100_000)
    cr = b.env.cr
    cr.execute("SAVEPOINT bench_reports")
    campaigns = insert_leads(b, n)
    Lifecycle = b.env["crm.lead.lifecycle.report"]
    Funnel = b.env["crm.lead.funnel.report"]
    Campaigns = b.env["utm.campaign.lifecycle.report"]
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
    queries = [
        (
            "by campaign (all measures)",
            lambda: Lifecycle.read_group([], counts, ["campaign_id"]),
        ),
        ("by source", lambda: Lifecycle.read_group([], counts, ["source_id"])),
        (
            "by team x month",
            lambda: Lifecycle.read_group(
                [], counts, ["team_id", "create_date:month"], lazy=False
            ),
        ),
        (
            "by source, one campaign",
            lambda: Lifecycle.read_group(
                [("campaign_id", "=", campaigns[0].id)], counts, ["source_id"]
            ),
        ),
        (
            "response time by salesperson",
            lambda: Lifecycle.read_group(
                [],
                [
                    "response_delay_hours:avg",
                    "within_sla_rate:avg",
                    "answered_count:sum",
                ],
                ["user_id"],
            ),
        ),
        (
            "conversion by response bucket",
            lambda: Lifecycle.read_group(
                [], ["lead_count:sum", "won_rate:avg"], ["response_bucket"]
            ),
        ),
        (
            "funnel by stage x team",
            lambda: Funnel.read_group(
                [], ["lead_count:sum"], ["funnel_stage", "team_id"], lazy=False
            ),
        ),
        (
            "funnel by stage x campaign",
            lambda: Funnel.read_group(
                [], ["lead_count:sum"], ["funnel_stage", "campaign_id"], lazy=False
            ),
        ),
        (
            "campaign report, all campaigns",
            lambda: Campaigns.search_read(
                [],
                [
                    "lead_count",
                    "qualified_count",
                    "cost_per_qualified",
                    "revenue_cost_ratio",
                ],
            ),
        ),
        (
            "campaign report by campaign",
            lambda: Campaigns.read_group(
                [], ["lead_count:sum", "qualified_count:sum"], ["campaign_id"]
            ),
        ),
    ]
    for label, query in queries:
        query()  # warm-up: the first run pays for the plan and the caches
        b.measure(
            f"report: {label}",
            n,
            lambda i: [],  # the run's result sizes
            lambda groups, query=query: groups.append(len(query())),
            after=lambda groups: f"{groups[-1]} groups",
        )
    b.measure(
        "report: campaign smart buttons (50 campaigns)",
        n,
        lambda i: b.env.invalidate_all(),
        lambda _state: campaigns.read(
            ["lifecycle_qualified_count", "lifecycle_revenue_cost_ratio"]
        ),
    )

    unanswered_count = min(2000, n)

    def unanswered(i):
        # leads become unanswered and unflagged: the SLA cron's candidates
        cr.execute(
            "UPDATE crm_lead SET response_overdue = FALSE, first_response_date = NULL "
            "WHERE id IN (SELECT id FROM crm_lead WHERE name LIKE 'Bench lead %%' "
            "ORDER BY id LIMIT %s)",
            [unanswered_count],
        )
        b.env.invalidate_all()
        return []

    b.measure(
        f"lead_lifecycle response SLA cron, {unanswered_count:,} unanswered leads",
        unanswered_count,
        unanswered,
        lambda flagged: flagged.append(
            len(b.env["crm.lead"]._cron_lifecycle_response_overdue())
        ),
        after=lambda flagged: f"{flagged[-1]:,} leads flagged overdue",
    )
    cr.execute("ROLLBACK TO SAVEPOINT bench_reports")
    b.env.invalidate_all()


def scenario_value(b):
    """Scenario "value": the value of speed over 100,000 leads: the daily fit of the
    value curves (one GROUPING SETS query, then the fit of each scope in Python), the
    SLA cron's refresh of the value at stake of the unanswered leads, and the lead
    list sorted by value at stake (first page and count, as the web client asks)."""
    n = b.n(100_000)
    cr = b.env.cr
    cr.execute("SAVEPOINT bench_value")
    insert_leads(b, n)
    # Closed leads: won (probability 100) and lost (archived, probability 0) with a
    # first response; the won ones are made less likely the longer they waited
    # (half-life about 8 working hours) so that the fit has a curve to find.
    cr.execute(
        """
        UPDATE crm_lead SET probability = 0
         WHERE NOT active AND name LIKE 'Bench lead %%';
        UPDATE crm_lead SET active = FALSE, probability = 0, stage_id = NULL
         WHERE name LIKE 'Bench lead %%' AND probability = 100
           AND response_delay_hours IS NOT NULL
           AND random() > power(2, -response_delay_hours / 8);
        ANALYZE crm_lead;
        """
    )
    Curve = b.env["crm.lead.value.curve"]
    Curve._lifecycle_fit_curves()  # warm-up
    b.measure(
        "lead_lifecycle value curve fit (every team and source)",
        n,
        lambda i: [],
        lambda curves: curves.append(Curve._lifecycle_fit_curves()),
        after=lambda curves: (
            f"{len(curves[-1])} curves, "
            f"{len(curves[-1].filtered('enough_history'))} with enough history, "
            "company half-life "
            + ", ".join(
                f"{c.half_life:.1f} h"
                for c in curves[-1].filtered(lambda c: not c.team_id)
            )
        ),
    )
    Curve._lifecycle_fit_curves()
    Lead = b.env["crm.lead"]
    b.measure(
        "lead_lifecycle value at stake refresh (15-minute cron, unanswered leads)",
        n,
        lambda i: [],
        lambda leads: leads.append(Lead._cron_lifecycle_refresh_value()),
        after=lambda leads: f"{len(leads[-1]):,} unanswered leads priced",
    )
    Lead._cron_lifecycle_refresh_value()
    b.env.flush_all()
    cr.execute("ANALYZE crm_lead")
    domain = [("first_response_date", "=", False), ("type", "=", "lead")]

    def ordered(state):
        state.append(
            Lead.web_search_read(
                domain,
                {"name": {}, "value_lost_per_hour": {}, "value_expected_now": {}},
                order="value_lost_per_hour desc, id desc",
                limit=80,
                count_limit=10001,
            )
        )

    ordered([])  # warm-up
    b.measure(
        "report: leads sorted by value at stake (first page + count)",
        n,
        lambda i: (b.env.invalidate_all(), [])[1],
        ordered,
        after=lambda state: f"{state[-1]['length']:,} unanswered leads",
    )
    cr.execute("ROLLBACK TO SAVEPOINT bench_value")
    b.env.invalidate_all()


SCENARIOS = [
    # cheapest first: RESULTS.md is rewritten after each scenario, so an interrupted
    # run still leaves the figures measured so far
    ("copy", scenario_copy_floor),
    ("stock", scenario_stock_load_and_create),
    ("decay", scenario_decay),
    ("reports", scenario_reports),
    ("value", scenario_value),
    ("mailing", scenario_mailing),
    ("qualify", scenario_qualify),
    ("promote", scenario_promote),
    ("rented", scenario_rented_list),
    ("dialog", scenario_dialog),
]

RENTED = "lead_lifecycle rented-list import+clean+match"
STOCK_LOAD = "stock crm.lead.load() (Import button)"
OUR_LOAD = "crm.lead.load() (Import button) with lead_lifecycle installed"


def _faster(factor):
    return lambda o, s: o["rows"] / o["seconds"] >= factor * s["rows"] / s["seconds"]


# (ours, stock counterpart or None, target, check(ours, stock)) for RESULTS.md.
# `ours` is a result name, or a prefix ending with "*" (every matching result; for
# RENTED the largest size). Absolute targets (seconds, MB) are for full scale on a
# 2-core machine; ratios hold at any scale.
COMPARISONS = [
    # Issue 17: "≥ 40× stock load()'s rate", the ratio form of its "≤ 30 s" (stock
    # crm.lead.load() runs at ~75-100 rows/s: 40× is 24-33 s for 100,000 rows);
    # run with scenario 'stock'. Stock's own import through the same dialog (the
    # dialog's default turns tracking off, a few hundred rows) runs ~2.4× faster
    # than load(): its ratio is shown for information, no target.
    (DIALOG, STOCK_LOAD, "≥ 40× stock load()'s rate", _faster(40)),
    (DIALOG, DIALOG_STOCK, "none (for information)", None),
    (DIALOG, None, "≤ 30 s end to end", lambda o, s: o["seconds"] <= 30),
    (DIALOG, None, "peak RSS ≤ 600 MB", lambda o, s: o["rss"] <= 600),
    (f"{RENTED}*", STOCK_LOAD, "≥ 20× stock load()'s rate", _faster(20)),
    (f"{RENTED}*", None, "≤ 60 s end to end", lambda o, s: o["seconds"] <= 60),
    (f"{RENTED}*", None, "peak RSS ≤ 600 MB", lambda o, s: o["rss"] <= 600),
    (
        "lead_lifecycle promote list contacts to leads",
        "stock crm.lead.create(), one batch (promotion rows)",
        "≤ 1/3 of stock time",
        lambda o, s: o["seconds"] * 3 <= s["seconds"],
    ),
    (
        "lead_lifecycle mass qualify into partners",
        "stock mass convert wizard, creating partners",
        "≤ stock mass-convert time",
        lambda o, s: o["seconds"] <= s["seconds"],
    ),
    (
        "lead_lifecycle add partners to mailing list (automation)",
        "stock mailing.contact.create per partner",
        "≥ 10× faster, 0 duplicates run twice",
        lambda o, s: _faster(10)(o, s) and " 0 duplicates" in o["note"],
    ),
    (
        "lead_lifecycle score decay cron",
        None,
        "≤ 10 s",
        lambda o, s: o["seconds"] <= 10,
    ),
    ("report: *", None, "≤ 2 s each", lambda o, s: o["seconds"] <= 2),
    (
        "lead_lifecycle value curve fit (every team and source)",
        None,
        "≤ 2 s",
        lambda o, s: o["seconds"] <= 2,
    ),
]


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def write_overhead(b):
    """What installing lead_lifecycle adds to a stock path users keep using."""
    stock, ours = b.find(STOCK_LOAD), b.find(OUR_LOAD)
    if not (stock and ours):
        return ""
    return (
        "\n## What lead_lifecycle adds to stock paths\n\n"
        "| path | stock Odoo | with lead_lifecycle | ratio |\n|---|---:|---:|---:|\n"
        f"| crm.lead.load() of {stock['rows']:,} leads (Import button) | "
        f"{stock['seconds']:.2f} s | {ours['seconds']:.2f} s | "
        f"{ours['seconds'] / stock['seconds']:.2f}× the time |\n"
    )


def write_growth(b):
    """Rented-list import at each size, and what 1,000,000 rows cost."""
    runs = sorted(
        (r for r in b.results if r["name"].startswith(RENTED)), key=lambda r: r["rows"]
    )
    if len(runs) < 2:
        return ""
    out = io.StringIO()
    out.write(
        "\n## Rented-list import: growth in rows\n\n| rows | s | rows/s | "
        "µs/row | peak RSS MB |\n|---:|---:|---:|---:|---:|\n"
    )
    for r in runs:
        out.write(
            f"| {r['rows']:,} | {r['seconds']:.2f} | {r['rows'] / r['seconds']:,.0f} "
            f"| {r['seconds'] / r['rows'] * 1e6:,.0f} | {r['rss']:.0f} |\n"
        )
    small, mid, big = runs[0], runs[-2], runs[-1]
    # time: power law through the smallest and largest size (exponent 1 = linear)
    exponent = math.log(big["seconds"] / small["seconds"]) / math.log(
        big["rows"] / small["rows"]
    )
    target = 10 * big["rows"]
    seconds = big["seconds"] * 10**exponent
    # memory: the last measured slope, carried on linearly
    slope = (big["rss"] - mid["rss"]) / max(big["rows"] - mid["rows"], 1)
    rss = big["rss"] + max(slope, 0) * (target - big["rows"])
    out.write(
        f"\nTime grows as rows^{exponent:.2f} between {small['rows']:,} and "
        f"{big['rows']:,} rows; memory by {slope * 10_000:.1f} MB per 10,000 rows "
        f"between {mid['rows']:,} and {big['rows']:,} (the file's rows held by the "
        f"caller, as base_import holds the file, included). Extrapolated to "
        f"{target:,} rows in one load() call: **{seconds:,.0f} s "
        f"({seconds / 60:.1f} min), peak RSS {rss:,.0f} MB**. Cut into import "
        "batches (the import dialog's batch size) each call costs the 100k "
        "figure above: see README.md.\n"
    )
    return out.getvalue()


def write_results(b, path, scale, only, note=""):
    copy = next((r for r in b.results if r["name"].startswith("PostgreSQL COPY")), None)
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        ).stdout.strip()
        or "unknown"
    )
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 1024 / 1024
    out = io.StringIO()
    out.write("# lead_lifecycle benchmark results\n\n")
    out.write(
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- commit: {commit}\n- machine: {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, "
        f"{platform.machine()}, Python {platform.python_version()}, "
        f"PostgreSQL {b.env.cr._cnx.server_version // 10000}\n"
        f"- scale: {scale}{' (scenarios: ' + ', '.join(only) + ')' if only else ''}\n"
        "- stock paths run in a stock Odoo database (crm, mass_mailing, "
        "mass_mailing_crm, base_automation, phone_validation; neither lead_lifecycle "
        "nor the OCA modules), lead_lifecycle's in a database with lead_lifecycle\n"
        f"- each figure: median of {b.repeat} run(s) on fresh deterministic data "
        "(~3% malformed "
        "emails, ~5% duplicates), rolled back after each run\n"
    )
    if note:
        out.write(f"- **note: {note}**\n")
    out.write("\n")
    out.write(
        "| scenario | rows | median s | rows/s | peak RSS MB | vs COPY |\n"
        "|---|---:|---:|---:|---:|---:|\n"
    )
    for r in b.results:
        rate = r["rows"] / r["seconds"]
        vs_copy = ""
        # only for scenarios that write their rows (not for the report queries)
        if copy and r is not copy and not r["name"].startswith("report:"):
            copy_rate = copy["rows"] / copy["seconds"]
            vs_copy = f"{copy_rate / rate:,.0f}× slower"
        out.write(
            f"| {r['name']} | {r['rows']:,} | {r['seconds']:.2f} | {rate:,.0f} | "
            f"{r['rss']:.0f} | {vs_copy} |\n"
        )
    out.write(
        "\n## Targets\n\n| scenario | stock path | ours vs stock | figure | target "
        "| met |\n|---|---|---:|---:|---|---|\n"
    )
    for ours, stock, target, check in COMPARISONS:
        s = b.find(stock) if stock else None
        if stock and not s:
            continue
        for o in b.find_all(ours):
            ratio = (
                f"{(o['rows'] / o['seconds']) / (s['rows'] / s['seconds']):,.1f}× "
                "the rate"
                if s
                else "—"
            )
            met = "—" if check is None else "yes" if check(o, s) else "NO"
            out.write(
                f"| {o['name']} | {stock or '—'} | {ratio} | {o['seconds']:.2f} s, "
                f"{o['rss']:.0f} MB | {target} | {met} |\n"
            )
    out.write(write_overhead(b))
    out.write(write_growth(b))
    notes = [r for r in b.results if r["note"]]
    if notes:
        out.write("\n## Checks and outcomes\n\n")
        for r in notes:
            out.write(f"- {r['name']}: {r['note']}\n")
    with open(path, "w") as f:
        f.write(out.getvalue())
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--stock-database",
        required=True,
        help="stock Odoo (the modules lead_lifecycle builds on) for the stock paths",
    )
    parser.add_argument("--results", required=True)
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "full"))
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per scenario (median reported)"
    )
    parser.add_argument(
        "--note",
        default=os.environ.get("BENCH_NOTE", ""),
        help="written in RESULTS.md's header, e.g. the machine was shared",
    )
    args = parser.parse_args()

    import odoo
    from odoo.tools import config

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    stock_registry = odoo.modules.registry.Registry(args.stock_database)
    context = {"tracking_disable": False, "mail_notrack": False}
    with registry.cursor() as cr, stock_registry.cursor() as stock_cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
        stock_env = odoo.api.Environment(stock_cr, odoo.SUPERUSER_ID, context)
        assert "lifecycle_state" not in stock_env["crm.lead"]._fields
        bench = Bench(env, stock_env, args.scale, args.repeat)
        for key, scenario in SCENARIOS:
            if args.only and key not in args.only:
                continue
            scenario(bench)
            write_results(bench, args.results, args.scale, args.only, args.note)
            # Each scenario in its own transaction, as each user request is: rows a
            # scenario created and rolled back to its savepoints stay in the open
            # transaction (they cannot be vacuumed and are rechecked by every later
            # scan), and made later scenarios several times slower in one long run.
            for e in (env, stock_env):
                e.cr.rollback()
                e.invalidate_all()


if __name__ == "__main__":
    sys.exit(main())
