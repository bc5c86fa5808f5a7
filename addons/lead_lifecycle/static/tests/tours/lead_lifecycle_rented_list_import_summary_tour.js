/** @odoo-module **/
// Copyright 2026 lead_lifecycle authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {registry} from "@web/core/registry";

// A list whose file was imported (tests/test_rented_list_import.py): its chatter
// message links the import's summary; each number of the summary opens its rows.
registry.category("web_tour.tours").add("lead_lifecycle_rented_list_import_summary_tour", {
    steps: () => [
        {
            content: "The import's message in the chatter links its summary",
            trigger:
                ".o-mail-Message:contains('9 rows received, 9 added') " +
                "a[data-oe-model='crm.rented.list.import']",
        },
        {
            content: "The Imports tab lists it",
            trigger: ".o_notebook a[name=imports]",
            run: "click",
        },
        {
            content: "Open it",
            trigger: ".o_field_widget[name=import_ids] .o_data_row td[name=file_name]:contains('fair.csv')",
            run: "click",
        },
        {
            content: "The summary counts the rows received",
            trigger: ".o_field_widget[name=received_count]:contains('9')",
        },
        {
            content: "and the duplicates in the file",
            trigger:
                "button[name=action_view_rows]:has(.o_field_widget[name=duplicate_file_count]:contains('1'))",
        },
        {
            content: "Close the dialog",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "More smart buttons",
            trigger: ".o_form_view .o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "The Imports button opens the list's imports",
            trigger: "button[name=action_view_imports]:has(.o_stat_value:contains('1'))",
            run: "click",
        },
        {
            // The list's action is done loading (its breadcrumb) before its row is
            // clicked: a click while it still mounts can be lost (seen once in CI).
            content: "The list of the list's imports is shown",
            trigger: ".o_last_breadcrumb_item:contains('Imports')",
        },
        {
            content: "Open the import",
            trigger: ".o_list_view .o_data_row td[name=file_name]:contains('fair.csv')",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_last_breadcrumb_item:contains('fair.csv')",
        },
        {
            content: "Open the duplicates in the file",
            trigger:
                ".o_form_view button[name=action_view_rows]:has(.o_field_widget[name=duplicate_file_count])",
            run: "click",
        },
        {
            content: "The rows behind the number: Alice's second row only",
            trigger:
                ".o_list_view:has(.o_data_row td[name=email]:contains('ALICE@acme.example'))" +
                ":not(:has(.o_data_row td[name=email]:contains('bob@globex.example')))",
        },
    ],
});
