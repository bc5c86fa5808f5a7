# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

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
}


class BaseImportImport(models.TransientModel):
    _inherit = "base_import.import"

    def _get_mapping_suggestion(
        self, header, fields_tree, header_types, mapping_fields
    ):
        alias = RENTED_LIST_HEADER_ALIASES.get(header.strip().casefold())
        if (
            self.res_model == "crm.rented.list.contact"
            and alias
            and header.casefold() not in mapping_fields
        ):
            return {"field_path": [alias], "distance": 0}
        return super()._get_mapping_suggestion(
            header, fields_tree, header_types, mapping_fields
        )
