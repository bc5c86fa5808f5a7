# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the Import dialog for rented lists: column suggestions (aliases, the vendor's
# row id), messy files repaired or refused with the line named, the file read once for
# the preview and all windows.
import codecs
import csv
import io
import threading
from collections import OrderedDict

from odoo import models
from odoo.tools import frozendict

from odoo.addons.base_import.models.base_import import ImportValidationError

from .base import gc_paused

EXTRA_COLUMNS_TITLE = "Extra columns"
# Rows of the last files converted for rented lists (see _convert_import_data):
# a few uploads being imported at once in this worker.
CONVERT_CACHE_SIZE = 2
_CONVERT_CACHE = OrderedDict()
_CONVERT_LOCK = threading.Lock()
# Rows of the last files read for rented lists by the preview (see _read_file),
# until the first window converts them.
_READ_CACHE = OrderedDict()
# What reading a file finds out and gives back in the options.
READ_FOUND_OPTIONS = ("encoding", "separator", "repairs")

# Column titles of common purchased files that differ from the field labels.
RENTED_LIST_HEADER_ALIASES = {
    "firstname": "first_name",
    "given name": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family name": "last_name",
    "name": "contact_name",
    "contact": "contact_name",
    "contact name": "contact_name",
    "company name": "partner_name",
    "organization": "partner_name",
    "organisation": "partner_name",
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "phone": "phone",
    "telephone": "phone",
    "work phone": "phone",
    "mobile": "mobile",
    "mobile phone": "mobile",
    "cell": "mobile",
    "title": "function",
    "position": "function",
    "address": "street",
    "street address": "street",
    "postcode": "zip",
    "postal code": "zip",
    "zip code": "zip",
    "country code": "country_name",
    "web": "website",
    "url": "website",
    "sector": "industry",
    "comment": "notes",
    "comments": "notes",
    "extra columns": "notes",
}
# A vendor's own row id: a plain column of the row, never Odoo's External ID.
VENDOR_ROW_ID_HEADERS = {
    "id",
    "row id",
    "row_id",
    "vendor id",
    "vendor row id",
    "vendor_row_id",
}


class BaseImportImport(models.TransientModel):
    _inherit = "base_import.import"

    def _get_mapping_suggestion(
        self, header, fields_tree, header_types, mapping_fields
    ):
        key = header.strip().casefold()
        if (
            self.res_model == "crm.rented.list.contact"
            and key in VENDOR_ROW_ID_HEADERS
            and mapping_fields.get(header.casefold(), "id") in ("id", "vendor_row_id")
        ):
            # Also over a mapping saved when the dialog took it for an External ID.
            return {"field_path": ["vendor_row_id"], "distance": 0}
        alias = RENTED_LIST_HEADER_ALIASES.get(key)
        if (
            self.res_model == "crm.rented.list.contact"
            and alias
            and header.casefold() not in mapping_fields
        ):
            return {"field_path": [alias], "distance": 0}
        return super()._get_mapping_suggestion(
            header, fields_tree, header_types, mapping_fields
        )

    def execute_import(self, fields, columns, options, dryrun=False):
        """An import into a rented list (its Import button gives the list in the
        context): refuse the columns that would reach beyond the list, naming
        them, before anything is read; then let crm.rented.list.contact.load()
        know which dialog and window it imports (the windows of one dialog make one
        import and one summary) and whether it is the dialog's Test (dry run:
        nothing is left, no summary, message or notification)."""
        if self.res_model != "crm.rented.list.contact" or not self.env.context.get(
            "default_rented_list_id"
        ):
            return super().execute_import(fields, columns, options, dryrun=dryrun)
        Contact = self.env["crm.rented.list.contact"]
        for field, column in zip(fields, columns, strict=False):
            if field and Contact._import_refused_fields([field]):
                error = ImportValidationError(
                    Contact._import_refused_message(column or field, field),
                    field=field,
                )
                return {"ids": [], "messages": [error.__dict__], "nextrow": 0}
        skip = options.get("skip") or 0
        window = dict(
            wizard_id=self.id,
            skip=skip,
            file_name=self.file_name,
            dryrun=bool(dryrun),
        )
        with gc_paused():
            if not skip and options.get("limit"):
                # The first window starts the summary, which notes the rows
                # repeated anywhere in the file (their occurrence is their import
                # key, see crm.rented.list.import._occurrences); the later windows
                # are sent only their own rows (_convert_import_data), so it is
                # found here, from the rows read once for all windows.
                try:
                    rows, _fields = self._rented_list_rows(fields, dict(options))
                except (ImportValidationError, ValueError):
                    # super() reports the file's error as the dialog expects
                    rows = None
                if rows is not None:
                    window["repeated"] = Contact._import_repeated_rows(rows)
            window = frozendict(window)
            result = super(
                BaseImportImport, self.with_context(rented_list_import=window)
            ).execute_import(fields, columns, options, dryrun=dryrun)
        if not dryrun and options.get("repairs") and not window["skip"]:
            # The repairs of the file are known once _read_csv read it (during the
            # import of the first window); its summary was started meanwhile.
            self.env["crm.rented.list.import"].sudo().search(
                [("wizard_id", "=", self.id)], order="id desc", limit=1
            ).repairs = "\n".join(options["repairs"])
        if not dryrun and not result.get("nextrow"):
            # The last window (or a failed one, which the user imports anew): the
            # rows kept for the next windows are freed now, not when two other
            # uploads push them out. The Test button's run keeps them for the
            # import that follows it.
            self._rented_list_forget_file()
        return result

    def _rented_list_forget_file(self, caches=(_READ_CACHE, _CONVERT_CACHE)):
        """Drop the rows of this upload kept in this worker: as read (_read_file)
        and as converted (_rented_list_rows). Every key of both caches starts with
        (database, upload id)."""
        wizard = (self.env.cr.dbname, self.id)
        with _CONVERT_LOCK:
            for cache in caches:
                for key in [key for key in cache if key[:2] == wizard]:
                    del cache[key]

    @staticmethod
    def _rented_list_found_options(options, found=None):
        """What reading the file found out (READ_FOUND_OPTIONS): taken from
        ``options`` after a reading, or, with ``found``, given back to them (the
        repairs as a list of their own)."""
        target = options
        if found is None:
            found = target = {
                name: options[name] for name in READ_FOUND_OPTIONS if name in options
            }
        else:
            options.update(found)
        if "repairs" in found:
            target["repairs"] = list(found["repairs"])
        return found

    # ------------------------------------------------------------------
    # Messy purchased files (issue 17 point 3): repair what can be
    # repaired, report every repair, stop with a line number otherwise.
    # Repairs go to ``options["repairs"]`` (list of str) so that the
    # preview and the import summary can show them.
    # ------------------------------------------------------------------

    def _messy_decode(self, data, options, repairs):
        encoding = options.get("encoding") or "utf-8"
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            repairs.append(self.env._("A byte-order mark was removed."))
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None:
            options["encoding"] = encoding
            return text
        # Purchased lists are mostly from Western European spreadsheets:
        # Windows-1252 first, Latin-1 (which always decodes) otherwise.
        try:
            guessed = "cp1252"
            text = data.decode(guessed)
        except UnicodeDecodeError:
            guessed = "latin-1"
            text = data.decode(guessed)
        options["encoding"] = guessed
        repairs.append(
            self.env._(
                "The file is not in %(asked)s; it was read as %(used)s.",
                asked=encoding,
                used=guessed,
            )
        )
        return text

    def _messy_lines(self, text, repairs):
        # Counts, not regular expressions: one pass of C each over the text
        crlf = text.count("\r\n")
        endings = {
            "\r\n" if crlf else None,
            "\r" if text.count("\r") > crlf else None,
            "\n" if text.count("\n") > crlf else None,
        } - {None}
        if len(endings) > 1:
            repairs.append(self.env._("Mixed line endings were unified."))
        if "\x00" in text:
            repairs.append(
                self.env._(
                    "%(count)s NUL characters (a binary or broken export) were "
                    "removed.",
                    count=text.count("\x00"),
                )
            )
            text = text.replace("\x00", "")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def _messy_separator(self, text, options, repairs):
        header = text.split("\n", 1)[0]
        separator = options.get("separator") or ","
        counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
        best = max(counts, key=counts.get)
        if counts[best] and counts.get(separator, 0) < counts[best]:
            repairs.append(
                self.env._(
                    "The columns are separated by “%(sep)s”; the file was read so.",
                    sep=best,
                )
            )
            separator = best
        options["separator"] = separator
        return separator

    def _messy_rows(self, text, options, separator, repairs):
        quote = options.get("quoting") or '"'
        reader = csv.reader(io.StringIO(text), delimiter=separator, quotechar=quote)
        rows = []
        try:
            for row in reader:
                rows.append((reader.line_num, row))
        except csv.Error as error:
            raise ImportValidationError(
                self.env._(
                    "Line %(line)s cannot be read (%(why)s). "
                    "Check the quotes on that line.",
                    line=reader.line_num,
                    why=error,
                )
            ) from error
        rows = [(line, row) for line, row in rows if "".join(row).strip()]
        # A value opened with a quote but never closed swallows the rest
        # of the file: the last row then holds several lines.
        if rows:
            row = rows[-1][1]
            line = rows[-2][0] + 1 if len(rows) > 1 else 1
            if any(v.count("\n") > 1 and separator in v for v in row):
                raise ImportValidationError(
                    self.env._(
                        "Line %(line)s: a quote (%(quote)s) opens a value that is"
                        " never closed. Close or remove it and import again.",
                        line=line,
                        quote=quote,
                    )
                )
        return rows

    def _messy_shape(self, rows, separator, repairs):  # noqa: C901 (one pass, one branch per defect class)
        if not rows:
            return []
        header = [h.strip().lstrip("\ufeff") for h in rows[0][1]]
        if header != rows[0][1]:
            repairs.append(self.env._("Blanks around column titles were removed."))
        seen = {}
        for index, title in enumerate(header):
            key = title.casefold()
            if key in seen:
                seen[key] += 1
                header[index] = f"{title} ({seen[key]})"
                repairs.append(
                    self.env._(
                        "The column “%(title)s” appears twice; both were kept,"
                        " the second as “%(new)s”.",
                        title=title,
                        new=header[index],
                    )
                )
            else:
                seen[key] = 1
        width = len(header)
        others = [s for s in (",", ";", "\t", "|") if s != separator]
        out, extra, short, merged, resplit = [header], False, [], [], []
        body = [[line, row] for line, row in rows[1:]]
        index = 0
        while index < len(body):
            line, row = body[index]
            if len(row) == width:  # the usual row: nothing to repair
                out.append(row)
                index += 1
                continue
            if len(row) == 1 and width > 1:
                for other in others:
                    parts = next(csv.reader([row[0]], delimiter=other))
                    if len(parts) == width:
                        row = parts
                        resplit.append(line)
                        break
            if (
                len(row) < width
                and index + 1 < len(body)
                and len(row) + len(body[index + 1][1]) - 1 == width
            ):
                nxt = body[index + 1][1]
                row = row[:-1] + [f"{row[-1]} {nxt[0]}".strip()] + nxt[1:]
                merged.append(line)
                index += 1
            if len(row) < width:
                short.append(line)
                row = row + [""] * (width - len(row))
            elif len(row) > width:
                extra = True
                row = row[:width] + [" | ".join(v for v in row[width:] if v)]
            out.append(row)
            index += 1
        if extra:
            header.append(EXTRA_COLUMNS_TITLE)
            for row in out[1:]:
                if len(row) == width:
                    row.append("")
            repairs.append(
                self.env._(
                    "Some lines have more values than titles; the extra values"
                    " are kept in the notes."
                )
            )
        if resplit:
            repairs.append(
                self.env._(
                    "Lines %(lines)s use another separator; they were read with it.",
                    lines=", ".join(map(str, resplit)),
                )
            )
        if merged:
            repairs.append(
                self.env._(
                    "Lines %(lines)s were cut by a line break inside a value;"
                    " they were joined.",
                    lines=", ".join(map(str, merged)),
                )
            )
        if short:
            repairs.append(
                self.env._(
                    "Lines %(lines)s have missing values; they were left empty.",
                    lines=", ".join(map(str, short[:20])),
                )
            )
        return out

    def _rented_list_read_key(self, options):
        """The cache key of a reading of the file with ``options``."""
        return (
            self.env.cr.dbname,
            self.id,
            str(self.write_date),
            len(self.file or b""),
            *(
                str(options.get(name) or "")
                for name in ("encoding", "separator", "quoting", "sheet")
            ),
        )

    def _read_file(self, options):
        """For an import into a rented list: the file read once for the preview
        and the first window.

        The dialog previews the file (parse_preview reads all of it, to count its
        rows), then sends its first window with the options the preview found
        (encoding, separator), and stock reads, decodes and parses the whole file
        again (~1.5 s for 100,000 rows). The rows read are kept in this worker
        under the options asked and the options found, until the first window
        converts them (_rented_list_rows); a reading with other options, another
        upload or another worker reads the file. The repairs noted by the first
        reading are given back with the rows: they describe the file, whichever
        options found them."""
        if self.res_model != "crm.rented.list.contact" or not self.file:
            return super()._read_file(options)
        asked = self._rented_list_read_key(options)
        with _CONVERT_LOCK:
            cached = _READ_CACHE.get(asked)
        if cached:
            length, rows, found = cached
            self._rented_list_found_options(options, found)
            return length, rows
        with gc_paused():
            length, rows = super()._read_file(options)
        found = self._rented_list_found_options(options)
        with _CONVERT_LOCK:
            for key in (asked, self._rented_list_read_key(options)):
                _READ_CACHE[key] = (length, rows, found)
            while len(_READ_CACHE) > 2 * CONVERT_CACHE_SIZE:
                _READ_CACHE.popitem(last=False)
        return length, rows

    def _convert_import_data(self, fields, options):
        """For an import into a rented list: the rows of the window only, plus one
        (so that load() knows more rows follow), from the file read once per upload.

        The dialog sends a large file in windows (execute_import with ``skip`` and
        ``limit``), and stock base_import reads, decodes and parses the whole file
        for each of them, then hands every row after ``skip`` to the rest of
        execute_import (_parse_import_data, _handle_multi_mapping: Python work per
        row and column) although load() imports ``limit`` of them: ~15 s a window
        for 2,000 rows of a 100,000-row file, quadratic in the file. The converted
        rows are kept for the next windows of the same upload (same record as last
        written, same mapping and reading options) in this worker; another worker
        reads the file again.
        """
        limit = options.get("limit")
        if self.res_model != "crm.rented.list.contact" or not limit:
            return super()._convert_import_data(fields, options)
        data, import_fields = self._rented_list_rows(fields, options)
        skip = options.get("skip") or 0
        # Copies: the rest of execute_import may convert values in place.
        return [list(row) for row in data[skip : skip + limit + 1]], import_fields

    def _handle_multi_mapping(self, import_fields, input_file_data):
        """Stock's merge of the columns mapped to one field, for a rented list
        with the field types looked up once: stock looks up the wizard's model and
        each field's type for every value of every row (~85 µs a row, 8.5 s of a
        100,000-row file). Every column of a rented-list file is a plain Char or
        Text field (crm.rented.list.contact.load refuses the others), joined with
        a space or a new line as stock does."""
        if self.res_model != "crm.rented.list.contact":
            return super()._handle_multi_mapping(import_fields, input_file_data)
        Contact = self.env[self.res_model]
        indexes = {}
        for index, field in enumerate(field for field in import_fields if field):
            indexes.setdefault(field, []).append(index)
        if any(
            Contact._fields.get(field) is None
            or Contact._fields[field].type not in ("char", "text")
            for field in indexes
        ):
            return super()._handle_multi_mapping(import_fields, input_file_data)
        if all(len(positions) == 1 for positions in indexes.values()):
            # One column per field: stock keeps each value ('' when empty).
            return list(indexes), [
                [value or "" for value in record] for record in input_file_data
            ]
        merges = [
            ("\n" if Contact._fields[field].type == "text" else " ", positions)
            for field, positions in indexes.items()
        ]
        return list(indexes), [
            [
                separator.join(record[i] for i in positions if record[i])
                for separator, positions in merges
            ]
            for record in input_file_data
        ]

    def _rented_list_rows(self, fields, options):
        """All the converted rows of the file (read once per upload, see
        _convert_import_data), and the import fields; ``options`` gets what the
        reading found out (encoding, separator, repairs)."""
        key = (
            self.env.cr.dbname,
            self.id,
            str(self.write_date),
            tuple(fields),
            *(
                str(options.get(name))
                for name in ("encoding", "separator", "quoting", "has_headers", "sheet")
            ),
        )
        with _CONVERT_LOCK:
            cached = _CONVERT_CACHE.get(key)
        if cached:
            data, import_fields, read_options = cached
        else:
            read = dict(options, skip=0)
            data, import_fields = super()._convert_import_data(fields, read)
            # What the reading found out (messy files: encoding, separator,
            # repairs), given back to the caller on every window.
            read_options = self._rented_list_found_options(read)
            with _CONVERT_LOCK:
                _CONVERT_CACHE[key] = (data, import_fields, read_options)
                while len(_CONVERT_CACHE) > CONVERT_CACHE_SIZE:
                    _CONVERT_CACHE.popitem(last=False)
            # Converted: the rows read for the preview are not needed any more
            self._rented_list_forget_file(caches=(_READ_CACHE,))
        self._rented_list_found_options(options, read_options)
        return data, import_fields

    def _read_csv(self, options):
        if self.res_model != "crm.rented.list.contact" or not self.file:
            return super()._read_csv(options)
        repairs = []
        text = self._messy_decode(self.file, options, repairs)
        text = self._messy_lines(text, repairs)
        separator = self._messy_separator(text, options, repairs)
        rows = self._messy_rows(text, options, separator, repairs)
        content = self._messy_shape(rows, separator, repairs)
        options["repairs"] = repairs
        return len(content), content

    def parse_preview(self, options, count=10):
        result = super().parse_preview(options, count=count)
        repairs = options.get("repairs")
        if self.res_model == "crm.rented.list.contact" and repairs:
            result["repairs"] = repairs
            result["messages"] = [{"type": "info", "message": note} for note in repairs]
        return result
