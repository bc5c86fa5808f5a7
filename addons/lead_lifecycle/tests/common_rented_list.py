# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the rented-list tests: a list, its sample file and the Import
dialog's path."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.misc import file_open

SAMPLE = "lead_lifecycle/tests/data/rented_list_sample.csv"

# What the web client's Import dialog sends (base_import/static/src/import_model.js).
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


class RentedListCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.marketing_user = new_test_user(
            cls.env,
            "rl_marketing",
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
            email="marketing@example.com",
        )
        cls.salesman = new_test_user(
            cls.env, "rl_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "List Vendor", "is_company": True}
        )
        cls.known_partner = cls.env["res.partner"].create(
            {"name": "Frank Known", "email": "frank@known.example"}
        )
        cls.env["mail.blacklist"].create({"email": "eve@umbrella.example"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Rented Spring"})
        cls.source = cls.env["utm.source"].create({"name": "List Vendor Source"})
        cls.medium = cls.env["utm.medium"].create({"name": "Rented list"})
        cls.today = fields.Date.today()
        cls.rented_list = cls.env["crm.rented.list"].create(
            {
                "name": "Spring list",
                "vendor_id": cls.vendor.id,
                "rental_start": cls.today - timedelta(days=10),
                "rental_end": cls.today + timedelta(days=30),
                "cost": 1000.0,
                "allowed_uses": 1,
                "campaign_id": cls.campaign.id,
                "source_id": cls.source.id,
                "medium_id": cls.medium.id,
            }
        )
        cls.rented_list.action_activate()

    @classmethod
    def _sample_bytes(cls):
        with file_open(SAMPLE, "rb") as sample:
            return sample.read()

    def _upload(
        self, content, file_name, rented_list=None, user=None, file_type="text/csv"
    ):
        """The Import dialog's upload of a file into a rented list (the rented list's
        import action opens it with default_rented_list_id)."""
        rented_list = rented_list or self.rented_list
        env = self.env(user=user) if user else self.env
        return (
            env["base_import.import"]
            .with_context(default_rented_list_id=rented_list.id)
            .create(
                {
                    "res_model": "crm.rented.list.contact",
                    "file": content,
                    "file_name": file_name,
                    "file_type": file_type,
                }
            )
        )

    def _import(self, rented_list=None, content=None, user=None):
        """Import through base_import as the web client does."""
        importer = self._upload(
            content or self._sample_bytes(), "rented.csv", rented_list, user
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
        }
        preview = importer.parse_preview(options)
        self.assertFalse(preview.get("error"), preview)
        columns = preview["headers"]
        matches = preview["matches"]
        fields_ = [
            matches[index][0] if matches.get(index) else False
            for index in range(len(columns))
        ]
        result = importer.execute_import(fields_, columns, options)
        return result, dict(zip(columns, fields_, strict=True))

    def _contact(self, email, rented_list=None):
        return self.env["crm.rented.list.contact"].search(
            [
                ("rented_list_id", "=", (rented_list or self.rented_list).id),
                ("email", "=", email),
            ]
        )


class RentedListDialogCase(RentedListCase):
    """Imports through the Import dialog, window by window
    (base_import/static/src/import_model.js): a base_import.import with the bytes,
    parse_preview with the dialog's options, then execute_import once per window,
    ``skip`` advanced by the returned ``nextrow`` until it is 0, ``dryrun=True``
    for the Test button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_list = cls.rented_list.copy({"name": "Autumn list"})
        cls.other_list.action_activate()

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _dialog(
        self,
        content,
        rented_list=None,
        limit=2000,
        dryrun=False,
        file_name="vendor.csv",
        fields=None,
        user=None,
    ):
        """Upload, preview and import ``content`` as the dialog does, window by
        window; returns (the fields sent, the results of execute_import)."""
        importer = self._upload(content, file_name, rented_list, user)
        options = dict(DIALOG_OPTIONS, limit=limit, skip=0)
        preview = importer.parse_preview(dict(options))
        self.assertFalse(preview.get("error"), preview)
        options.update(
            separator=preview["options"]["separator"],
            encoding=preview["options"]["encoding"],
        )
        headers = preview["headers"]
        if fields is None:
            matches = preview["matches"] or {}
            fields = [
                "/".join(matches[i]) if matches.get(i) else False
                for i in range(len(headers))
            ]
        columns = [header.strip().lower() for header in headers]
        results = []
        while True:
            # the dialog sends its options anew with each window (execute_import
            # pops the limit from them)
            result = importer.execute_import(
                fields, columns, dict(options), dryrun=dryrun
            )
            results.append(result)
            if result.get("messages") or not result.get("nextrow"):
                break
            options["skip"] = result["nextrow"]
        return fields, results

    def _csv(self, header, rows):
        lines = [",".join(header)] + [",".join(row) for row in rows]
        return ("\n".join(lines) + "\n").encode()

    def _rows(self, rented_list=None):
        return self.env["crm.rented.list.contact"].search(
            [("rented_list_id", "=", (rented_list or self.rented_list).id)]
        )

    def _summaries(self, rented_list=None):
        return self.env["crm.rented.list.import"].search(
            [("rented_list_id", "=", (rented_list or self.rented_list).id)],
            order="id",
        )

    def _import_messages(self, rented_list=None):
        return (rented_list or self.rented_list).message_ids.filtered(
            lambda m: "rows received" in (m.body or "")
        )

    def _open(self, summary, figure):
        action = summary.with_context(import_rows=figure).action_view_rows()
        return self.env[action["res_model"]].search(action["domain"])
