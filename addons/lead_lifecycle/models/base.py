# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import OrderedSet

# precommit data key of the calls queued by _lifecycle_at_commit
AT_COMMIT_QUEUE = "lead_lifecycle.at_commit"


class Base(models.AbstractModel):
    _inherit = "base"

    def _lifecycle_at_commit(self, method, **context):
        """Call ``method`` (a method name of this model) when the transaction
        commits, once, on all the records queued for it in the transaction by the
        same user with the same ``context`` keys.

        Automation rules run their action once per record: an action that queues its
        records here does its work once for the batch (an import, a mass
        qualification), as mail's tracking does at commit."""
        if not self:
            return
        precommit = self.env.cr.precommit
        queue = precommit.data.setdefault(AT_COMMIT_QUEUE, {})
        if not queue:
            precommit.add(self._lifecycle_run_at_commit)
        key = (
            self._name,
            method,
            self.env.uid,
            self.env.su,
            tuple(sorted(context.items())),
        )
        queue.setdefault(key, OrderedSet()).update(self.ids)

    def _lifecycle_run_at_commit(self):
        """Make the calls queued by _lifecycle_at_commit (a precommit hook)."""
        queue = self.env.cr.precommit.data.pop(AT_COMMIT_QUEUE, {})
        for (model, method, uid, su, context), ids in queue.items():
            records = (
                self.env(user=uid, su=su)[model]
                .with_context(**dict(context))
                .browse(ids)
                .exists()
            )
            if records:
                getattr(records, method)()
        # the commit that runs this hook flushes before it, not after
        self.env.flush_all()
