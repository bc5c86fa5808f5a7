# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install -> uninstall -> stock CRM -> install again, on a database that has
lead_lifecycle installed (CI: `tools/ll.sh test-roundtrip`, on a copy of the test
database). One `odoo shell` process; the module is uninstalled and installed again
through Odoo (button_immediate_uninstall / button_immediate_install), each phase
checked in a fresh environment of the registry Odoo rebuilt:

    odoo shell -c .local/odoo.conf -d DB --no-http < tools/install_roundtrip.py

Prints one line per check; exits non-zero when one fails. The database is left
changed: use a copy."""

import sys
import time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# ruff: noqa: F821 (env is given by odoo shell)
MODULE = "lead_lifecycle"
LISTS = ["mailing_list_qualified_prospects", "mailing_list_keep_in_touch"]
REASONS = ["lost_reason_bounced", "lost_reason_duplicate"]
# Indexes lead_lifecycle creates by hand (create_index in init(), index=True on
# fields of other modules): the columns they are on are not ours.
HAND_INDEXES = [
    "crm_lead_email_normalized_eq_index",
    "crm_lead_response_pending_index",
    "res_partner__email_normalized_index",
    "mailing_contact__email_normalized_index",
    "mailing_contact__partner_id_index",
]
DBNAME = env.cr.dbname
# The shell's own cursor holds locks (it read users and partners) that the uninstall's
# ALTER TABLE would wait for: end its transaction, every phase has its own cursor.
env.cr.rollback()
FAILURES = []
T0 = time.monotonic()


def check(label, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {label}{f' ({detail})' if detail else ''}")
    if not ok:
        FAILURES.append(label)


def phase(title):
    print(f"-- {title} [{time.monotonic() - T0:.1f} s]")
    return Registry(DBNAME).cursor()


def fetch(cr, query, *args):
    cr.execute(query, args)
    return cr.fetchall()


def module_state(env):
    return env["ir.module.module"].search([("name", "=", MODULE)]).state


def our_ids(env, model):
    return sorted(
        env["ir.model.data"]
        .search([("module", "=", MODULE), ("model", "=", model)])
        .mapped("res_id")
    )


def history_counts(cr, max_lead_id):
    """Subscriptions, and activities and messages of the leads up to max_lead_id."""
    return fetch(
        cr,
        "SELECT (SELECT count(*) FROM mailing_subscription), "
        "(SELECT count(*) FROM mail_activity WHERE res_model = 'crm.lead' "
        "AND res_id <= %s), "
        "(SELECT count(*) FROM mail_message WHERE model = 'crm.lead' "
        "AND res_id <= %s)",
        max_lead_id,
        max_lead_id,
    )[0]


def commit_and_run(cr, env, button, done):
    """Commit the phase, then uninstall or install the module through Odoo (which
    commits and rebuilds the registry), timed."""
    cr.commit()
    started = time.monotonic()
    module = env["ir.module.module"].search([("name", "=", MODULE)])
    getattr(module, button)()
    print(f"   {done} in {time.monotonic() - started:.1f} s")


def subscriptions(cr, list_ids):
    return sorted(
        fetch(
            cr,
            "SELECT id, list_id, opt_out FROM mailing_subscription "
            "WHERE list_id = ANY(%s)",
            list_ids,
        )
    )


# ----------------------------------------------------------------------------------
# 1. Installed: what a user made with the module, what it owns
# ----------------------------------------------------------------------------------
with phase("installed") as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    check("module installed", module_state(env) == "installed", module_state(env))
    lists = {xmlid: env.ref(f"{MODULE}.{xmlid}") for xmlid in LISTS}
    reasons = {xmlid: env.ref(f"{MODULE}.{xmlid}").id for xmlid in REASONS}
    partner = env["res.partner"].create(
        {"name": "Roundtrip subscriber", "email": "roundtrip@example.org"}
    )
    partner._action_add_to_mailing_lists(lists["mailing_list_keep_in_touch"])
    quitter = env["res.partner"].create(
        {"name": "Roundtrip quitter", "email": "quitter@example.org"}
    )
    quitter._action_add_to_mailing_lists(lists["mailing_list_qualified_prospects"])
    env["mailing.subscription"].search(
        [("contact_id.partner_id", "=", quitter.id)]
    ).opt_out = True
    list_ids = {xmlid: mailing_list.id for xmlid, mailing_list in lists.items()}
    env.flush_all()
    kept_subscriptions = subscriptions(cr, list(list_ids.values()))
    check("lists have subscribers", len(kept_subscriptions) >= 2)
    owned = {
        model: our_ids(env, model)
        for model in ("ir.cron", "ir.actions.server", "base.automation")
    }
    check("crons, server actions, rules shipped", all(owned.values()), str(owned))
    views = [
        model._table
        for model in env.registry.values()
        if model._original_module == MODULE and not model._auto and not model._abstract
    ]
    check("report views exist", bool(views), ", ".join(views))
    indexes = [
        row[0]
        for row in fetch(
            cr,
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
            HAND_INDEXES,
        )
    ]
    check("hand-made indexes exist", bool(indexes), ", ".join(indexes))
    commit_and_run(cr, env, "button_immediate_uninstall", "uninstalled")

# ----------------------------------------------------------------------------------
# 2. Uninstalled: business data kept, our machinery gone, stock CRM works
# ----------------------------------------------------------------------------------
with phase("uninstalled") as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    check("module uninstalled", module_state(env) == "uninstalled")
    for xmlid, list_id in list_ids.items():
        kept = env["mailing.list"].browse(list_id).exists()
        check(f"list {xmlid} kept", bool(kept))
    for xmlid, reason_id in reasons.items():
        check(
            f"lost reason {xmlid} kept",
            bool(env["crm.lost.reason"].browse(reason_id).exists()),
        )
    now = subscriptions(cr, list(list_ids.values()))
    check(
        "subscriptions kept, opt-outs too",
        now == kept_subscriptions,
        f"lost {sorted(set(kept_subscriptions) - set(now))}",
    )
    left = fetch(cr, "SELECT count(*) FROM ir_model_data WHERE module = %s", MODULE)
    check("no record of the module left", left[0][0] == 0, f"{left[0][0]} xmlids")
    for model, ids in owned.items():
        table = env[model]._table
        rows = fetch(cr, f"SELECT id FROM {table} WHERE id = ANY(%s)", ids)  # noqa: S608
        check(f"{model} of the module gone", not rows, str(rows))
    rows = fetch(
        cr,
        "SELECT id FROM ir_act_server WHERE code ~ '_lifecycle|_scoring_|"
        "_action_add_to_mailing_lists|_action_remove_from_mailing_lists'",
    )
    check("no server action calls the module's code", not rows, str(rows))
    rows = fetch(
        cr,
        "SELECT viewname FROM pg_views WHERE viewname = ANY(%s) "
        "OR viewname LIKE '%%lifecycle%%'",
        views,
    )
    check("report views gone", not rows, str(rows))
    rows = fetch(
        cr,
        "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s) "
        "OR indexname LIKE '%%lifecycle%%'",
        HAND_INDEXES,
    )
    check("hand-made indexes gone", not rows, str(rows))
    rows = fetch(
        cr,
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND (column_name LIKE '%%lifecycle%%' "
        "OR table_name LIKE '%%lifecycle%%' OR (table_name = 'crm_lead' "
        "AND column_name IN ('rating', 'score', 'sales_ready', 'response_overdue')))",
    )
    check("columns and tables gone", not rows, str(rows))
    rows = fetch(
        cr, "SELECT key FROM ir_config_parameter WHERE key LIKE %s", "lead_lifecycle.%"
    )
    check("parameters gone", not rows, str(rows))
    # Stock CRM: a lead created, converted and won; one lost; one left as a lead.
    Lead = env["crm.lead"]
    customer = env["res.partner"].create(
        {"name": "Customer after uninstall", "email": "after@example.org"}
    )
    won = Lead.create(
        {"name": "Won after uninstall", "email_from": "after@example.org"}
    )
    won.convert_opportunity(customer)
    won.action_set_won()
    check(
        "stock crm: converted and won",
        won.type == "opportunity" and won.stage_id.is_won and won.probability == 100,
    )
    lost = Lead.create({"name": "Lost after uninstall", "type": "opportunity"})
    lost.action_set_lost(lost_reason_id=reasons["lost_reason_duplicate"])
    check("stock crm: lost with a kept reason", not lost.active)
    fresh = Lead.create({"name": "Lead after uninstall", "type": "lead"})
    mailing = env["mailing.mailing"].create(
        {
            "subject": "After uninstall",
            "body_html": "<p>Hello</p>",
            "mailing_model_id": env["ir.model"]._get_id("mailing.list"),
            "contact_list_ids": [list_ids["mailing_list_keep_in_touch"]],
        }
    )
    check(
        "stock mailing: kept list reaches its subscribers",
        bool(mailing._get_recipients()),
    )
    stock_leads = {"won": won.id, "lost": lost.id, "fresh": fresh.id}
    counts_before = history_counts(cr, fresh.id)
    commit_and_run(cr, env, "button_immediate_install", "installed again")

# ----------------------------------------------------------------------------------
# 3. Installed again: the kept records adopted, history backfilled, nothing fired
# ----------------------------------------------------------------------------------
with phase("installed again") as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    check("module installed again", module_state(env) == "installed")
    for xmlid, list_id in list_ids.items():
        adopted = env.ref(f"{MODULE}.{xmlid}")
        check(f"list {xmlid} adopted", adopted.id == list_id, f"{adopted.id} {list_id}")
        same_name = env["mailing.list"].search_count([("name", "=", adopted.name)])
        check(f"list {xmlid} not duplicated", same_name == 1, f"{same_name}")
    for xmlid, reason_id in reasons.items():
        check(
            f"lost reason {xmlid} adopted", env.ref(f"{MODULE}.{xmlid}").id == reason_id
        )
    policy = env.ref(f"{MODULE}.policy_default")
    check(
        "default policy feeds the adopted list",
        list_ids["mailing_list_qualified_prospects"] in policy.mailing_list_ids.ids,
    )
    check(
        "subscriptions unchanged",
        subscriptions(cr, list(list_ids.values())) == kept_subscriptions,
    )
    counts_after = history_counts(cr, stock_leads["fresh"])
    # (A database with demo data gets the module's demo records again: not history.)
    check(
        "install subscribed, notified, wrote to history nothing",
        counts_after == counts_before,
        f"subscriptions, activities and messages of history leads: {counts_before} "
        f"-> {counts_after}",
    )
    Lead = env["crm.lead"].with_context(active_test=False)
    won, lost, fresh = (
        Lead.browse(stock_leads[key]) for key in ("won", "lost", "fresh")
    )
    check("backfill: won deal qualified", won.lifecycle_state == "qualified")
    check("backfill: qualified on conversion", bool(won.qualified_date))
    check("backfill: lost deal disqualified", lost.lifecycle_state == "disqualified")
    check(
        "backfill: lost reason category kept",
        lost.lost_reason_id.lifecycle_category == "duplicate",
    )
    check("backfill: plain lead new", fresh.lifecycle_state == "new")
    check(
        "backfill: no rating date, no overdue on history",
        not (won | lost | fresh).filtered(
            lambda lead: lead.rating_date or lead.response_overdue
        ),
    )
    history_max = int(
        env["ir.config_parameter"].get_param("lead_lifecycle.history_lead_max_id", 0)
    )
    check("history bound reset", history_max >= fresh.id, f"{history_max}")
    unset = Lead.search_count([("lifecycle_state", "=", False)])
    check("every lead has a state", unset == 0, f"{unset} without")
    for model in owned:
        check(f"{model} shipped again", bool(our_ids(env, model)))
    cr.rollback()

print(f"-- {len(FAILURES)} failed [{time.monotonic() - T0:.1f} s]")
if FAILURES:
    sys.exit(1)
