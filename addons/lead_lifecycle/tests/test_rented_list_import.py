# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Imports into a rented list through the Import dialog (issue 17 point 2): an
import only adds rows to its own list.

Windows are small here (the dialog's default is 2,000 rows) so that a small file
takes several.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_rented_list import DIALOG_OPTIONS, RentedListDialogCase


@tagged("post_install", "-at_install")
class TestRentedListImportOwnList(RentedListDialogCase):
    # ------------------------------------------------------------
    # Point 2: an import only adds rows to its own list
    # ------------------------------------------------------------

    def test_id_column_is_the_vendor_row_id(self):
        """The bug: a second list numbered 1, 2, 3 updated the first list's rows."""
        first = self._csv(
            ["id", "First Name", "Email"],
            [["1", "Ann", "ann@one.example"], ["2", "Ben", "ben@one.example"]],
        )
        second = self._csv(
            ["id", "First Name", "Email"],
            [["1", "Cid", "cid@two.example"], ["2", "Dee", "dee@two.example"]],
        )
        fields_, _results = self._dialog(first)
        self.assertEqual(fields_[0], "vendor_row_id")
        before = {(r.vendor_row_id, r.email, r.validity) for r in self._rows()}
        self.assertEqual(
            before,
            {("1", "ann@one.example", "valid"), ("2", "ben@one.example", "valid")},
        )
        # also when the column is mapped to External ID (a mapping saved by an
        # earlier import, or chosen by hand)
        self._dialog(second, self.other_list, fields=["id", "first_name", "email"])
        after = {(r.vendor_row_id, r.email, r.validity) for r in self._rows()}
        self.assertEqual(after, before)
        self.assertEqual(
            {(r.vendor_row_id, r.email) for r in self._rows(self.other_list)},
            {("1", "cid@two.example"), ("2", "dee@two.example")},
        )
        self.assertFalse(
            self.env["ir.model.data"].search_count(
                [("model", "=", "crm.rented.list.contact")]
            )
        )

    def test_vendor_id_headers_map_to_vendor_row_id(self):
        for header in ("id", "ID", "Row ID", "vendor id", "Vendor Row ID"):
            with self.subTest(header=header):
                content = self._csv([header, "Email"], [["7", "x@y.example"]])
                fields_, _results = self._dialog(content, self.other_list)
                self.assertEqual(fields_, ["vendor_row_id", "email"])

    def test_reimport_with_vendor_row_id_adds_nothing(self):
        content = self._csv(
            ["id", "Email"],
            [["1", "same@row.example"], ["2", "same@row.example"]],
        )
        self._dialog(content)
        self._dialog(content)
        self.assertEqual(len(self._rows()), 2)
        # another vendor id on the same person is another row of the file
        self._dialog(self._csv(["id", "Email"], [["3", "same@row.example"]]))
        self.assertEqual(sorted(self._rows().mapped("vendor_row_id")), ["1", "2", "3"])

    def test_columns_reaching_other_lists_are_refused(self):
        self._dialog(self._csv(["Email"], [["keep@one.example"]]))
        kept = self._rows()
        for field_, column in (
            (".id", "database id"),
            ("rented_list_id", "list"),
            ("rented_list_id/id", "list ref"),
            ("rented_list_id/.id", "list db id"),
            ("company_id", "company"),
        ):
            with self.subTest(field=field_):
                content = self._csv(
                    [column, "Email"], [[str(kept.id), "moved@two.example"]]
                )
                _fields, results = self._dialog(
                    content, self.other_list, fields=[field_, "email"]
                )
                self.assertEqual(len(results), 1)
                message = results[0]["messages"][0]
                self.assertEqual(message["type"], "error")
                self.assertIn(f"“{column}”", message["message"])
                self.assertFalse(results[0]["ids"])
                self.assertFalse(self._rows(self.other_list))
                self.assertFalse(self._summaries(self.other_list))
                self.assertEqual(self._rows(), kept)
                self.assertEqual(kept.email, "keep@one.example")
        self.assertIn(
            "never updates existing rows",
            self._dialog(
                self._csv([".id", "Email"], [[str(kept.id), "x@two.example"]]),
                self.other_list,
                fields=[".id", "email"],
            )[1][0]["messages"][0]["message"],
        )

    def test_import_without_a_list_is_refused(self):
        """The Import of the Rented List Contacts menu has no list: it would update
        rows of any list by External ID."""
        self._dialog(self._csv(["Email"], [["keep@one.example"]]))
        importer = self.env["base_import.import"].create(
            {
                "res_model": "crm.rented.list.contact",
                "file": self._csv(["id", "Email"], [["1", "moved@two.example"]]),
                "file_name": "menu.csv",
                "file_type": "text/csv",
            }
        )
        options = dict(DIALOG_OPTIONS, separator=",", limit=2000, skip=0)
        with self.assertRaisesRegex(UserError, "Import Contacts"):
            importer.execute_import(["id", "email"], ["id", "email"], options)
        self.assertEqual(self._rows().email, "keep@one.example")

    def test_load_without_the_dialog_refuses_them_too(self):
        Contact = self.env["crm.rented.list.contact"].with_context(
            default_rented_list_id=self.other_list.id
        )
        for field_ in (".id", "rented_list_id/id", "company_id"):
            with (
                self.subTest(field=field_),
                self.assertRaisesRegex(UserError, "only adds rows|never updates"),
            ):
                Contact.load([field_, "email"], [["1", "x@two.example"]])
        with self.assertRaisesRegex(UserError, "Two columns are mapped to Vendor"):
            Contact.load(["id", "vendor_row_id", "email"], [["1", "1", "x@y.example"]])
        result = Contact.load(["id", "email"], [["v1", "x@two.example"]])
        self.assertEqual(Contact.browse(result["ids"]).vendor_row_id, "v1")
