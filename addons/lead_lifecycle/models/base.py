# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: every model: fields only the server writes (the refusal of a direct write)
# and work deferred to the commit (_lifecycle_at_commit); the bulk-work helpers
# (without_jit, gc_paused).
import gc
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import OrderedSet

# precommit data key of the calls queued by _lifecycle_at_commit
AT_COMMIT_QUEUE = "lead_lifecycle.at_commit"
# context values kept for the calls made at commit
PLAIN_TYPES = (str, int, float, bool, type(None))
# context keys naming the records a call runs on: the queue holds those (an automation
# rule runs once per record, its records are one call at commit)
RECORD_CONTEXT_KEYS = frozenset(
    {"active_id", "active_ids", "active_model", "active_domain"}
)

# True while lead_lifecycle's own code writes server-only fields (see
# Base._lifecycle_check_server_fields). Not a context key: a JSON-RPC client sends any
# context it likes, but it cannot set a variable of the thread serving its request.
_SERVER_WRITE = ContextVar("lead_lifecycle_server_write", default=False)


@contextmanager
def lifecycle_server_write():
    """Let the code of the block write server-only fields (derived facts, audit
    trail): for the module's own actions, crons and hooks only, never around values
    that come from the caller."""
    token = _SERVER_WRITE.set(True)
    try:
        yield
    finally:
        _SERVER_WRITE.reset(token)


@contextmanager
def without_jit(cr):
    """Run the statements of the block without PostgreSQL's JIT compilation.

    The set-based statements of a rented-list import (thousands of rows, one
    correlated index probe per row and target) are estimated above jit_above_cost,
    and compiling them (~80 ms) costs more than running them (~100 ms for 2,000
    rows). SET LOCAL lasts until the end of the transaction: the setting found is
    put back after the block. On an error the transaction, or the savepoint around
    the block, is rolled back, which undoes the SET LOCAL too."""
    cr.execute("SELECT current_setting('jit')")
    previous = cr.fetchone()[0]
    cr.execute("SET LOCAL jit = off")
    yield
    cr.execute("SELECT set_config('jit', %s, true)", [previous])


# Blocks of gc_paused() running in this worker, and whether the collector was on
# when the first of them started.
_GC_PAUSE = {"depth": 0, "enabled": True}
_GC_LOCK = threading.Lock()


@contextmanager
def gc_paused():
    """Run the block without Python's cyclic garbage collector.

    Reading a vendor's file and cleaning its rows create hundreds of thousands of
    lists; every few hundred of them the collector runs, and its full passes walk
    every object of the worker (the registry, the rows of the file kept for the
    next windows): 0.7 s of the 1.1 s it took to read a 100,000-row file. The rows
    make no reference cycles: reference counting frees them, the collector would
    find nothing. It is paused for the whole worker (Odoo's threads share it) until
    the last block running in any thread ends, then collects the cycles made
    meanwhile, as it would have."""
    with _GC_LOCK:
        if not _GC_PAUSE["depth"]:
            _GC_PAUSE["enabled"] = gc.isenabled()
            gc.disable()
        _GC_PAUSE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSE["depth"] -= 1
            if not _GC_PAUSE["depth"] and _GC_PAUSE["enabled"]:
                gc.enable()


class Base(models.AbstractModel):
    _inherit = "base"

    # ------------------------------------------------------------
    # SERVER-ONLY FIELDS
    # ------------------------------------------------------------

    def _lifecycle_server_fields(self):
        """Names of the fields of this model that only the server writes (derived
        facts and audit trail); the models of lead_lifecycle list theirs."""
        return frozenset()

    def _lifecycle_server_fields_hint(self):
        """How those fields are set, for the error a direct write gets."""
        return self.env._("Odoo sets it itself.")

    def _lifecycle_is_server_write(self):
        """Whether the running code may write server-only fields: superuser mode
        (data files, automation rules, crons, code that switched to sudo after
        checking the user's rights) or a lifecycle_server_write() block."""
        return self.env.su or _SERVER_WRITE.get()

    def _lifecycle_server_field_neutral(self, fname, value):
        """A value a new record may be given for a server-only field: empty, or the
        field's default (the web client sends defaults with a new record)."""
        field = self._fields[fname]
        return not value or (
            field.default is not None and value == field.default(self.browse())
        )

    def _lifecycle_check_server_fields(self, vals_list, create=False):
        """Refuse values of server-only fields that do not come from the server: a
        plain write (JSON-RPC, import, server action) of such a field that changes it,
        or a create that gives it a value other than its neutral one (including by
        a ``default_`` context key).

        :param vals_list: the values of create, or ``[vals]`` of write on self
        :raise AccessError: naming the field and how it is set
        """
        protected = self._lifecycle_server_fields()
        if not protected or self._lifecycle_is_server_write():
            return
        if create:
            defaults = {
                key[8:]: value
                for key, value in self.env.context.items()
                if key.startswith("default_") and key[8:] in protected
            }
            vals_list = [{**defaults, **vals} for vals in vals_list]
        for vals in vals_list:
            for fname in sorted(protected.intersection(vals)):
                field = self._fields[fname]
                if create:
                    forged = not self._lifecycle_server_field_neutral(
                        fname, vals[fname]
                    )
                else:
                    forged = any(
                        field.convert_to_record(
                            field.convert_to_cache(vals[fname], record), record
                        )
                        != record[fname]
                        for record in self
                    )
                if forged:
                    raise AccessError(
                        self.env._(
                            "%(field)s (%(model)s) is not written by hand: %(hint)s",
                            field=field._description_string(self.env),
                            model=self._description,
                            hint=self._lifecycle_server_fields_hint(),
                        )
                    )

    # ------------------------------------------------------------
    # AT COMMIT
    # ------------------------------------------------------------

    def _lifecycle_at_commit(self, method, **context):
        """Call ``method`` (a method name of this model) when the transaction
        commits, once, on the records queued for it that still exist, in the
        environment of the callers that queued them: one call per user and context
        (the caller's context, plus the ``context`` keys given).

        Automation rules run their action once per record: an action that queues its
        records here does its work once for the batch (an import, a mass
        qualification), as mail's tracking does at commit. Odoo's precommit hooks run
        it: when the transaction commits, or when a savepoint is taken (the work queued
        so far becomes part of the transaction); a savepoint rolled back drops the
        work queued inside it, a transaction rolled back drops all of it."""
        if not self:
            return
        precommit = self.env.cr.precommit
        queue = precommit.data.setdefault(AT_COMMIT_QUEUE, {})
        if not queue:
            # Not a bound method of self: it would run in this first caller's env.
            precommit.add(partial(_lifecycle_run_at_commit, self.env.cr))
        frozen = _freeze_context({**self.env.context, **context})
        key = (self._name, method, self.env.uid, self.env.su, frozen)
        queue.setdefault(key, OrderedSet()).update(self.ids)


def _freeze_context(context):
    """The plain values of a context, as a hashable key to group calls by and replay
    them with. Values that are not plain data (environments, records, callables) are
    left out: they are neither hashable nor safe to keep past the caller's stack."""
    frozen = []
    for key, value in context.items():
        if key in RECORD_CONTEXT_KEYS:
            continue
        if isinstance(value, PLAIN_TYPES):
            frozen.append((key, value))
        elif isinstance(value, list | tuple) and all(
            isinstance(item, PLAIN_TYPES) for item in value
        ):
            frozen.append((key, (type(value) is list, tuple(value))))
        # anything else (an env, a recordset, a dict) is dropped
    return tuple(sorted(frozen, key=lambda item: item[0]))


def _thaw_context(frozen):
    return {
        key: (
            (list(value[1]) if value[0] else value[1])
            if isinstance(value, tuple)
            else value
        )
        for key, value in frozen
    }


def _lifecycle_run_at_commit(cr):
    """Make the calls queued by Base._lifecycle_at_commit (a precommit hook)."""
    queue = cr.precommit.data.pop(AT_COMMIT_QUEUE, {})
    env = None
    for (model, method, uid, su, frozen), ids in queue.items():
        env = api.Environment(cr, uid, _thaw_context(frozen), su=su)
        records = env[model].browse(ids).exists()
        if records:
            getattr(records, method)()
    if env is not None:
        # the commit that runs this hook flushes before it, not after
        env.flush_all()
