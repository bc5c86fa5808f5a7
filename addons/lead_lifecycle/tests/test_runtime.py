# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What happens at run time around sends, commits, server actions and computes:
rented-list terms, at-commit work, contexts, promotion company, side-effect-free
computes."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.mass_mailing.models.mailing import MassMailing

from .common_marketing import MarketingListsCase
from .common_rented_list import RentedListCase


class RollbackError(Exception):
    """Raised to roll a savepoint back."""


@tagged("post_install", "-at_install")
class TestRentedListTerms(RentedListCase):
    """An expired or spent rented list stops its own mailing, never the queue, and
    its uses are counted in the transaction that sends."""

    def setUp(self):
        super().setUp()
        self._import()
        # Queue the mails instead of sending them at once: no SMTP server in tests.
        self.env["ir.config_parameter"].set_param("mail.mail.force.send.limit", 0)
        self.contact_model = self.env["ir.model"]._get("crm.rented.list.contact")

    def _mailing(self, **vals):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.contact_model.id,
                "mailing_domain": repr([("rented_list_id", "=", self.rented_list.id)]),
                **vals,
            }
        )

    def test_queue_cron_skips_expired_list_and_sends_the_others(self):
        expired = self._mailing(subject="Expired list")
        partner = self.env["res.partner"].create(
            {"name": "Good Recipient", "email": "good@recipient.example"}
        )
        good = self.env["mailing.mailing"].create(
            {
                "subject": "Good mailing",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.env["ir.model"]._get("res.partner").id,
                "mailing_domain": repr([("id", "=", partner.id)]),
            }
        )
        # Both queued while the rental was on; the rental ends before the cron runs.
        (expired | good).action_launch()
        self.rented_list.rental_end = self.today - timedelta(days=1)
        # Only these two in the queue (demo data may queue others).
        others = self.env["mailing.mailing"].search(
            [
                ("state", "in", ("in_queue", "sending")),
                ("id", "not in", (expired | good).ids),
            ]
        )
        others.write({"state": "draft"})

        self.env["mailing.mailing"]._process_mass_mailing_queue()

        self.assertEqual(expired.state, "draft")
        self.assertFalse(expired.mailing_trace_ids)
        self.assertIn(
            "rental is not active",
            "".join(expired.message_ids.mapped("body")),
        )
        self.assertEqual(self.rented_list.use_count, 0)
        self.assertIn(good.state, ("sending", "done"))
        self.assertEqual(good.mailing_trace_ids.res_id, partner.id)

    def test_queue_cron_counts_no_use_of_a_mailing_it_skips(self):
        """A mailing refused on its second list leaves its first list's use
        uncounted."""
        second = self.env["crm.rented.list"].create(
            {
                "name": "Second list",
                "vendor_id": self.vendor.id,
                "rental_start": self.today - timedelta(days=10),
                "rental_end": self.today + timedelta(days=30),
                "allowed_uses": 1,
            }
        )
        second.action_activate()
        self._import(rented_list=second, content=b"Email\nsolo@second-list.example\n")
        mailing = self._mailing(
            mailing_domain=repr(
                [("rented_list_id", "in", (self.rented_list | second).ids)]
            )
        )
        mailing.action_launch()
        others = self.env["mailing.mailing"].search(
            [("state", "in", ("in_queue", "sending")), ("id", "!=", mailing.id)]
        )
        others.write({"state": "draft"})
        # Another transaction spends the second list's last use meanwhile.
        self.assertEqual(second.use_count, 0)  # in cache
        self.env.cr.execute(
            "UPDATE crm_rented_list SET use_count = 1 WHERE id = %s", [second.id]
        )

        self.env["mailing.mailing"]._process_mass_mailing_queue()

        self.assertEqual(mailing.state, "draft")
        self.assertIn("allows 1 uses", "".join(mailing.message_ids.mapped("body")))
        self.assertEqual(self.rented_list.use_count, 0)
        self.assertFalse(self.rented_list.mailing_ids)
        self.assertFalse(mailing.mailing_trace_ids)

    def test_user_send_of_expired_list_refused(self):
        mailing = self._mailing()
        self.rented_list.rental_end = self.today - timedelta(days=1)
        for action in ("action_launch", "action_send_mail", "action_put_in_queue"):
            with self.assertRaisesRegex(UserError, "rental is not active"):
                getattr(mailing, action)()
        mailing.schedule_date = self.today + timedelta(days=2)
        with self.assertRaisesRegex(UserError, "rental is not active"):
            mailing.action_schedule()

    def test_use_counted_before_the_mails_go_out(self):
        """The sending commits by batches: the use is counted in the transaction that
        sends, not after it."""
        seen = []
        send = MassMailing._action_send_mail

        def spy(mailing, res_ids=None):
            self.rented_list.invalidate_recordset(["use_count"])
            seen.append(self.rented_list.use_count)
            return send(mailing, res_ids=res_ids)

        with patch.object(MassMailing, "_action_send_mail", spy):
            self._mailing().action_send_mail()
        self.assertEqual(seen, [1])
        self.assertEqual(self.rented_list.use_count, 1)

    def test_use_past_the_terms_refused_atomically(self):
        """Another transaction spent the last use after this one read the list: the
        counting refuses it instead of writing a stale count + 1."""
        self.assertEqual(self.rented_list.use_count, 0)  # in cache
        self.env.cr.execute(
            "UPDATE crm_rented_list SET use_count = 1 WHERE id = %s",
            [self.rented_list.id],
        )
        mailing = self._mailing()
        with self.assertRaisesRegex(UserError, "allows 1 uses"):
            mailing.action_send_mail()
        self.rented_list.invalidate_recordset(["use_count"])
        self.assertEqual(self.rented_list.use_count, 1)
        self.assertFalse(mailing.mailing_trace_ids)

    def _send_test(self, mailing):
        wizard = self.env["mailing.mailing.test"].create(
            {"mass_mailing_id": mailing.id, "email_to": "marketing@example.com"}
        )
        # the wizard deletes its mails once sent: note their recipients
        emails_to = []
        MailMail = type(self.env["mail.mail"])
        create = MailMail.create

        def spy(model, vals_list):
            created = create(model, vals_list)
            emails_to.extend(created.mapped("email_to"))
            return created

        with patch.object(MailMail, "create", spy):
            wizard.send_mail_test()
        return emails_to

    def test_test_send_of_expired_list_refused(self):
        """The test renders a contact's data: not after the rental."""
        mailing = self._mailing()
        self.rented_list.rental_end = self.today - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "rental is not active"):
            self._send_test(mailing)
        self.rented_list.rental_end = self.today + timedelta(days=1)
        self.rented_list.state = "expired"
        with self.assertRaisesRegex(UserError, "rental is not active"):
            self._send_test(mailing)

    def test_test_send_is_no_use(self):
        """A test goes to our own address, not to the list: not counted, allowed
        when the uses are spent, and the mailing itself stays refused."""
        mailing = self._mailing()
        self.assertEqual(self._send_test(mailing), ["marketing@example.com"])
        self.assertEqual(self.rented_list.use_count, 0)
        self.assertFalse(self.rented_list.mailing_ids)
        self.assertFalse(mailing.mailing_trace_ids)
        # the only use spent by another mailing
        self._mailing(subject="Other").action_send_mail()
        self.assertEqual(self.rented_list.use_count, 1)
        self.assertEqual(self._send_test(mailing), ["marketing@example.com"])
        self.assertEqual(self.rented_list.use_count, 1)
        with self.assertRaisesRegex(UserError, "allows 1 uses"):
            mailing.action_send_mail()


@tagged("post_install", "-at_install")
class TestAtCommit(TransactionCase):
    """Base._lifecycle_at_commit: once, for the records that survived, in each
    caller's own environment."""

    def setUp(self):
        super().setUp()
        self.calls = []
        calls = self.calls

        def callback(records):
            calls.append(
                (
                    frozenset(records.ids),
                    records.env.uid,
                    records.env.context.get("ll_test_key"),
                )
            )

        Partner = type(self.env["res.partner"])
        patcher = patch.object(Partner, "_ll_test_at_commit", callback, create=True)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.partners = self.env["res.partner"].create(
            [{"name": "At commit %s" % i} for i in range(3)]
        )

    def test_each_caller_context_gets_its_own_call(self):
        p0, p1, p2 = self.partners
        p0.with_context(ll_test_key="a")._lifecycle_at_commit("_ll_test_at_commit")
        p1.with_context(ll_test_key="b")._lifecycle_at_commit("_ll_test_at_commit")
        p2.with_context(ll_test_key="a")._lifecycle_at_commit("_ll_test_at_commit")
        user = self.env.ref("base.user_demo")
        p1.with_user(user).with_context(ll_test_key="b")._lifecycle_at_commit(
            "_ll_test_at_commit"
        )
        self.env.cr.flush()
        self.assertCountEqual(
            self.calls,
            [
                (frozenset((p0 | p2).ids), self.env.uid, "a"),
                (frozenset(p1.ids), self.env.uid, "b"),
                (frozenset(p1.ids), user.id, "b"),
            ],
        )

    def test_runs_once_and_not_for_deleted_records(self):
        p0, p1, p2 = self.partners
        self.partners._lifecycle_at_commit("_ll_test_at_commit")
        p1._lifecycle_at_commit("_ll_test_at_commit")
        p2.unlink()
        self.env.cr.flush()
        self.env.cr.flush()
        self.assertEqual(self.calls, [(frozenset((p0 | p1).ids), self.env.uid, None)])

    def test_savepoint_rollback_drops_the_work(self):
        p0, p1, _p2 = self.partners
        p0._lifecycle_at_commit("_ll_test_at_commit")
        with self.assertRaises(RollbackError), self.env.cr.savepoint():
            p1._lifecycle_at_commit("_ll_test_at_commit")
            raise RollbackError
        # the work queued before the savepoint ran when it was taken
        self.assertEqual(self.calls, [(frozenset(p0.ids), self.env.uid, None)])
        self.env.cr.flush()
        self.assertEqual(len(self.calls), 1)

    def test_unhashable_context_values_are_left_out(self):
        env_in_context = self.env(context={"ll_env": self.env, "ll_test_key": "x"})
        self.partners.with_env(env_in_context).with_context(
            ll_records=self.partners, ll_ids=[1, 2], active_ids=self.partners.ids
        )._lifecycle_at_commit("_ll_test_at_commit")
        self.partners[:1].with_env(env_in_context).with_context(
            active_ids=self.partners[:1].ids
        )._lifecycle_at_commit("_ll_test_at_commit")
        self.env.cr.flush()
        self.assertEqual(len(self.calls), 2)
        self.assertEqual({call[2] for call in self.calls}, {"x"})


@tagged("post_install", "-at_install")
class TestServerActionContext(TransactionCase):
    """The lifecycle's server actions pass their context on as with_context does: the
    caller's environment keeps its own."""

    def _code_action(self, name):
        return self.env["ir.actions.server"].create(
            {
                "name": name,
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "state": "code",
                "code": "action = {'seen': env.context.get("
                "'lead_lifecycle_action_id'), 'key': env.context.get('ll_key')}",
            }
        )

    def test_run_leaves_the_callers_context_alone(self):
        first = self._code_action("First")
        second = self._code_action("Second")
        partner = self.env["res.partner"].create({"name": "Context"})
        env = self.env(
            context=dict(
                self.env.context,
                ll_key="kept",
                active_model="res.partner",
                active_id=partner.id,
            )
        )
        context_before = dict(env.context)
        self.assertEqual(first.with_env(env).run(), {"seen": first.id, "key": "kept"})
        self.assertEqual(dict(env.context), context_before)
        self.assertEqual(second.with_env(env).run(), {"seen": second.id, "key": "kept"})
        self.assertEqual(env["res.partner"].env.context, context_before)
        self.assertNotIn("lead_lifecycle_action_id", env.context)


@tagged("post_install", "-at_install")
class TestPromotionCompany(RentedListCase):
    """A lead promoted from a list of another company belongs to that company: its
    team is one of that company's, its salesperson is left to the team's
    assignment."""

    def test_promote_contacts_of_another_company(self):
        company_a = self.env.company
        company_b = self.env["res.company"].create({"name": "Promotion Co B"})
        user = new_test_user(
            self.env,
            "rl_promoter",
            groups="sales_team.group_sale_salesman_all_leads,"
            "mass_mailing.group_mass_mailing_user",
            company_id=company_a.id,
            company_ids=[Command.set((company_a | company_b).ids)],
        )
        team_a = self.env["crm.team"].create(
            {
                "name": "Team A",
                "company_id": company_a.id,
                "use_leads": True,
                "member_ids": [Command.link(user.id)],
            }
        )
        team_b = self.env["crm.team"].create(
            {"name": "Team B", "company_id": company_b.id, "use_leads": True}
        )
        list_b = self.env["crm.rented.list"].create(
            {"name": "List of B", "company_id": company_b.id}
        )
        contacts = self.env["crm.rented.list.contact"].create(
            [
                {"rented_list_id": list_b.id, "email": "one@b-company.example"},
                {"rented_list_id": list_b.id, "email": "two@b-company.example"},
            ]
        )
        leads = (
            contacts.with_user(user)
            .with_context(allowed_company_ids=[company_a.id, company_b.id])
            ._promote()
        )
        self.assertEqual(len(leads), 2)
        self.assertEqual(leads.company_id, company_b)
        self.assertNotEqual(leads.team_id, team_a)
        self.assertIn(leads.team_id.company_id, (company_b, company_b.browse()))
        self.assertLessEqual(
            leads.team_id,
            team_b | self.env["crm.team"].search([("company_id", "=", False)]),
        )
        self.assertTrue(leads.team_id)
        self.assertFalse(leads.user_id)  # left to the team's assignment
        self.assertEqual(contacts.promoted_lead_id, leads)
        self.assertNotIn(leads.user_id, user | self.env.ref("base.user_root"))


@tagged("post_install", "-at_install")
class TestNoSideEffectInComputes(MarketingListsCase):
    """Computes only assign their fields: the writes are done by the actions and
    hooks that own them."""

    def test_qualify_checklist_read_writes_nothing(self):
        lead = self.env["crm.lead"].create(
            {"name": "Checklist lead", "email_from": "checklist@ll-rt.example"}
        )
        Lead = type(self.env["crm.lead"])
        refresh = Lead._lifecycle_refresh_interactions
        with patch.object(
            Lead, "_lifecycle_refresh_interactions", autospec=True, side_effect=refresh
        ) as spy:
            wizard = (
                self.env["crm.lead.qualify"]
                .with_context(active_model="crm.lead", active_ids=lead.ids)
                .create({})
            )
            # the wizard recounts when it opens, for its checklist
            self.assertEqual(spy.call_count, 1)
            spy.reset_mock()
            wizard.invalidate_recordset()
            values = wizard.read(["checklist", "all_ready"])[0]
            spy.assert_not_called()
        self.assertTrue(values["checklist"])
        # qualifying still recounts and qualifies
        wizard.override = True
        wizard.override_reason = "Known customer"
        wizard.action_qualify()
        self.assertEqual(lead.lifecycle_state, "qualified")

    def test_partner_recompute_inserts_no_subscription(self):
        company, dynamic = self._company_staff_list("Grocers Inc")
        partner = self._partners(1, prefix="grocer")
        self.env.cr.flush()
        Subscription = self.env["mailing.subscription"]
        before = Subscription.search_count([])
        partner.parent_id = company
        # the recomputation of commercial_company_name runs here
        self.env.flush_all()
        self.assertEqual(partner.commercial_company_name, "Grocers Inc")
        self.assertEqual(Subscription.search_count([]), before)
        self.assertFalse(self._subscriptions(partner, dynamic))
        # the partner joins the list at commit
        self.env.cr.flush()
        self.assertTrue(self._subscriptions(partner, dynamic))
