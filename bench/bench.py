# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""lead_lifecycle benchmark: each scenario and the matching stock Odoo path, in one
run.

Run it with `make bench` (tools/ll.sh bench), which creates a database with
lead_lifecycle (no demo data), runs this script with Odoo's Python and writes
bench/RESULTS.md.

Every scenario runs 3 times on fresh, deterministic data inside a savepoint that is
rolled back afterwards; the median wall time is reported with rows/s, the peak RSS of
this process during the scenario (VmHWM, reset before each scenario), and the ratio to
its stock counterpart and to PostgreSQL's COPY of the same number of rows.
"""

import argparse
import datetime
import io
import os
import platform
import random
import statistics
import subprocess
import sys
import time

SCALE = {
    # scenario sizes; BENCH_SCALE=small divides them for a quick check of the harness
    "full": 1,
    "small": 10,
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
    def __init__(self, env, scale):
        self.env = env
        self.div = SCALE[scale]
        self.results = []  # dicts
        self.rng = random.Random(18)

    def n(self, rows):
        return max(rows // self.div, 10)

    def measure(self, name, rows, prepare, run, repeat=3):
        """prepare(i) -> state (not timed); run(state) -> None (timed). Each repetition
        runs in a savepoint rolled back afterwards."""
        times, peaks = [], []
        for i in range(repeat):
            cr = self.env.cr
            cr.execute("SAVEPOINT bench")
            try:
                state = prepare(i)
                self.env.flush_all()
                _reset_peak_rss()
                t0 = time.perf_counter()
                run(state)
                self.env.flush_all()
                times.append(time.perf_counter() - t0)
                peaks.append(_peak_rss_mb())
            finally:
                self.env.invalidate_all()
                cr.execute("ROLLBACK TO SAVEPOINT bench")
                self.env.invalidate_all()
        result = {
            "name": name,
            "rows": rows,
            "seconds": statistics.median(times),
            "all": times,
            "rss": max(peaks),
        }
        self.results.append(result)
        print(
            f"{name:<60} {rows:>8} rows  {result['seconds']:8.2f} s  "
            f"{rows / result['seconds']:10.0f} rows/s  {result['rss']:7.0f} MB",
            flush=True,
        )
        return result

    def result(self, name):
        return next(r for r in self.results if r["name"] == name)

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
            rows.append(
                {
                    "first": first,
                    "last": last,
                    "company": company,
                    "email": email,
                    "phone": f"+32 2 {rng.randint(200, 899)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    "country_id": rng.choice(countries).id,
                    "city": rng.choice(["Brussels", "Paris", "Berlin", "Amsterdam"]),
                }
            )
        return rows

    def lead_vals(self, rows, **extra):
        return [
            {
                "name": f"Request from {r['company']}",
                "type": "lead",
                "contact_name": f"{r['first']} {r['last']}",
                "partner_name": r["company"],
                "email_from": r["email"],
                "phone": r["phone"],
                "country_id": r["country_id"],
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
    """Stock paths other scenarios compare with: load() (the Import button) and
    crm.lead.create in one batch."""
    Lead = b.env["crm.lead"]
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
    b.measure(
        "stock crm.lead.load() (Import button)",
        n,
        lambda i: data,
        lambda d: Lead.load(fields, d),
    )
    n = b.n(10_000)
    vals = b.lead_vals(b.people(n, seed=3))
    b.measure(
        "stock crm.lead.create(), one batch",
        n,
        lambda i: vals,
        lambda v: Lead.create(v),
    )


def scenario_qualify(b):
    """Scenario 3: qualifying 1,000 leads into partners (lead_lifecycle) vs the stock
    mass 'convert to opportunity' wizard creating the partners for the same leads."""
    Lead = b.env["crm.lead"]
    n = b.n(1_000)
    policy = b.env["crm.qualification.policy"].create(
        {"name": "bench", "min_interactions": 0}
    )
    team = b.env["crm.team"].create(
        {"name": "bench", "use_leads": True, "qualification_policy_id": policy.id}
    )

    def prepare(i):
        rows = b.people(n, seed=100 + i)
        return Lead.create(b.lead_vals(rows, team_id=team.id, user_id=b.env.uid))

    def stock(leads):
        wizard = (
            b.env["crm.lead2opportunity.partner.mass"]
            .with_context(active_model="crm.lead", active_ids=leads.ids)
            .create({"action": "create", "deduplicate": False, "name": "convert"})
        )
        wizard.action_mass_convert()

    def ours(leads):
        b.env["crm.lead.qualify"].with_context(
            active_model="crm.lead", active_ids=leads.ids
        ).create({"create_opportunity": False}).action_qualify()

    b.measure("stock mass convert wizard, creating partners", n, prepare, stock)
    b.measure("lead_lifecycle mass qualify into partners", n, prepare, ours)


SCENARIOS = [
    ("copy", scenario_copy_floor),
    ("stock", scenario_stock_load_and_create),
    ("qualify", scenario_qualify),
]

# (ours, stock counterpart, target text, check(ratio_to_stock, result)) for RESULTS.md
COMPARISONS = [
    (
        "lead_lifecycle mass qualify into partners",
        "stock mass convert wizard, creating partners",
        "≤ stock mass-convert time",
        lambda ours, stock: ours["seconds"] <= stock["seconds"],
    ),
]


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def write_results(b, path, scale, only):
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
        "- each figure: median of 3 runs on fresh deterministic data (~3% malformed "
        "emails, ~5% duplicates), rolled back after each run\n\n"
    )
    out.write(
        "| scenario | rows | median s | rows/s | peak RSS MB | vs COPY |\n"
        "|---|---:|---:|---:|---:|---:|\n"
    )
    for r in b.results:
        rate = r["rows"] / r["seconds"]
        vs_copy = ""
        if copy and r is not copy:
            copy_rate = copy["rows"] / copy["seconds"]
            vs_copy = f"{copy_rate / rate:,.0f}× slower"
        out.write(
            f"| {r['name']} | {r['rows']:,} | {r['seconds']:.2f} | {rate:,.0f} | "
            f"{r['rss']:.0f} | {vs_copy} |\n"
        )
    out.write("\n## Targets\n\n| scenario | stock path | ratio | target | met |\n")
    out.write("|---|---|---:|---|---|\n")
    names = {r["name"] for r in b.results}
    for ours, stock, target, check in COMPARISONS:
        if ours not in names or stock not in names:
            continue
        o, s = b.result(ours), b.result(stock)
        ratio = (o["rows"] / o["seconds"]) / (s["rows"] / s["seconds"])
        out.write(
            f"| {ours} | {stock} | {ratio:.2f}× the stock rate | {target} | "
            f"{'yes' if check(o, s) else 'NO'} |\n"
        )
    with open(path, "w") as f:
        f.write(out.getvalue())
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "full"))
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()

    import odoo
    from odoo.tools import config

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            {"tracking_disable": False, "mail_notrack": False},
        )
        bench = Bench(env, args.scale)
        for key, scenario in SCENARIOS:
            if args.only and key not in args.only:
                continue
            scenario(bench)
        cr.rollback()
        write_results(bench, args.results, args.scale, args.only)


if __name__ == "__main__":
    sys.exit(main())
