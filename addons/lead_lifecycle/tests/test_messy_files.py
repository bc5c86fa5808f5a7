# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Messy purchased files through the Import dialog (issue 17 point 3).

Each file goes the dialog's way: base_import.import with the bytes,
parse_preview with the dialog's default options (encoding and separator
empty, quoting '"', headers, limit 2000), then execute_import with the
previewed mapping.

What happened before the repair layer (Odoo 18 stock ``_read_csv``):

========================  ===================================================
class                     before
========================  ===================================================
Windows-1252              preview error "'utf-8' codec can't decode byte"
Latin-1                   preview error "'utf-8' codec can't decode byte"
semicolon delimiter       imported (stock sniffing picks ';'), no note
mixed delimiters          ';' line kept as one value: contact without email
unescaped inner quotes    imported, quotes kept as they are
unterminated quote        the rest of the file swallowed into one value
newline in unquoted field two broken rows, one contact lost/garbled
extra columns             extra values silently dropped
missing columns           "list index out of range" in the preview
BOM and padded headers    titles not matched ("\\ufeff First Name ")
duplicate headers         the second "Email" left unmapped, silently
mixed line endings        a lone CR read as a line break, no note
NUL character in a value  raw database error in the dialog (found 2026-12-07)
========================  ===================================================

Now each class either imports every row with a repair note in
``parse_preview()["repairs"]`` / ``options["repairs"]`` or stops before
importing anything with a message naming the line.
"""

import io

import openpyxl

from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common_rented_list import DIALOG_OPTIONS, RentedListCase

MESSY = "lead_lifecycle/tests/data/messy/"


@tagged("post_install", "-at_install")
class TestMessyFiles(RentedListCase):
    def _dialog(self, content, file_name="messy.csv", file_type="text/csv"):
        importer = self._upload(content, file_name, file_type=file_type)
        options = dict(DIALOG_OPTIONS)
        preview = importer.parse_preview(options)
        if preview.get("error"):
            return preview, None
        headers = preview["headers"]
        matches = preview["matches"] or {}
        fields_ = [
            "/".join(matches[i]) if matches.get(i) else False
            for i in range(len(headers))
        ]
        result = importer.execute_import(fields_, headers, preview["options"])
        return preview, result

    def _file(self, name):
        with file_open(MESSY + name, "rb") as handle:
            return handle.read()

    def _contacts(self):
        return self.env["crm.rented.list.contact"].search(
            [("rented_list_id", "=", self.rented_list.id)]
        )

    def _assert_repaired(self, name, rows, *notes):
        before = len(self._contacts())
        preview, result = self._dialog(self._file(name))
        self.assertFalse(preview.get("error"), preview)
        self.assertFalse(
            [m for m in result["messages"] if m["type"] == "error"], result
        )
        self.assertEqual(len(self._contacts()) - before, rows)
        joined = " ".join(preview.get("repairs", []))
        for note in notes:
            self.assertIn(note, joined)
        self.assertTrue(all(m["type"] == "info" for m in preview.get("messages", [])))
        return preview

    def test_cp1252(self):
        self._assert_repaired("cp1252.csv", 2, "it was read as")
        self.assertEqual(self._contact("zoe@cafe.example").last_name, "Bœuf")

    def test_latin1(self):
        self._assert_repaired("latin1.csv", 2, "it was read as")
        self.assertEqual(self._contact("zoe@creme.example").city, "Liège")

    def test_semicolon(self):
        self._assert_repaired("semicolon.csv", 2, "separated by “;”")

    def test_mixed_delimiters(self):
        self._assert_repaired("mixed_delimiters.csv", 2, "another separator")
        self.assertEqual(self._contact("ben@initech.example").city, "Namur")

    def test_inner_quotes(self):
        self._assert_repaired("inner_quotes.csv", 2)
        self.assertEqual(
            self._contact("ann@acme.example").partner_name, 'Acme "the best" Ltd'
        )

    def test_unterminated_quote(self):
        before = len(self._contacts())
        preview, result = self._dialog(self._file("unterminated_quote.csv"))
        self.assertIsNone(result)
        self.assertIn("Line 2", preview["error"])
        self.assertIn("never closed", preview["error"])
        self.assertEqual(len(self._contacts()), before)

    def test_newline_unquoted(self):
        self._assert_repaired("newline_unquoted.csv", 2, "were joined")
        self.assertEqual(self._contact("ann@acme.example").partner_name, "Acme Ltd")

    def test_extra_columns(self):
        self._assert_repaired("extra_columns.csv", 2, "kept in the notes")
        self.assertIn("met at fair", self._contact("ann@acme.example").notes)

    def test_missing_columns(self):
        self._assert_repaired("missing_columns.csv", 2, "left empty")
        self.assertFalse(self._contact("ann@acme.example").city)

    def test_bom_padded_headers(self):
        preview = self._assert_repaired(
            "bom_padded_headers.csv", 2, "byte-order mark", "Blanks around"
        )
        self.assertEqual(preview["headers"][0], "First Name")
        self.assertEqual(self._contact("ann@acme.example").first_name, "Ann")

    def test_duplicate_headers(self):
        preview = self._assert_repaired(
            "duplicate_headers.csv", 2, "appears twice; both were kept"
        )
        self.assertIn("Email (2)", preview["headers"])

    def test_mixed_line_endings(self):
        self._assert_repaired("mixed_line_endings.csv", 3, "Mixed line endings")

    def test_xlsx(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["id", "First Name", "Last Name", "Email"])
        sheet.append(["messy_x1", "Ann", "Lee", "ann@xlsx.example"])
        sheet.append(["messy_x2", "Ben", "Ray", "ben@xlsx.example"])
        buffer = io.BytesIO()
        book.save(buffer)
        before = len(self._contacts())
        preview, result = self._dialog(
            buffer.getvalue(),
            "list.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertFalse(preview.get("error"), preview)
        self.assertFalse(
            [m for m in result["messages"] if m["type"] == "error"], result
        )
        self.assertEqual(len(self._contacts()) - before, 2)

    def test_nul_characters_are_dropped(self):
        """A NUL character (a binary export, a broken encoding) in a value: the
        row is imported without it, the repair said, never a raw database error
        in the dialog (a load() without the dialog drops them too)."""
        content = b"First Name,Email,City\nAnn\x00,ann@nul.example,Gh\x00ent\n"
        preview, result = self._dialog(content)
        self.assertFalse(preview.get("error"), preview)
        self.assertIn("2 NUL characters", " ".join(preview["repairs"]))
        self.assertEqual(len(result["ids"]), 1, result)
        contact = self._contacts()
        self.assertEqual(
            (contact.first_name, contact.email, contact.city),
            ("Ann", "ann@nul.example", "Ghent"),
        )
