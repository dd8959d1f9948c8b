"""USB sync use cases shared by the window's "Đồng bộ USB" page and the command line.

- ``export_package``: write this site's changes (since the receiver's last acknowledgement, or
  everything with ``full=True``) to a signed ``.papisync`` file in a folder (a USB stick).
- ``dry_run`` / ``import_packages``: check and (optionally) apply one or many packages; a
  folder means every package in it, in sequence order. Each package gets a ``PackageReport``.
  A refused package changes nothing in the database. A trusted sender may change only what
  it owns (``sync.ownership``); a package that tries anything else is refused whole.

Confidentiality between communes: the supervising office writes one package per commune
(``PAPI-<commune>-…``) holding the shared rows (framework, tasks, catalogue edits, holidays)
plus its own rows about that commune only (decisions, comments — any office row with a
``unit_code`` — and conflict records about that commune's rows), each cumulative since that
commune's acknowledgement; communes it does not know yet share one package
(``PAPI-<province>-…``) of the shared rows, which lists the communes that have their own.
At the door, a commune sets aside (counts, never stores) office rows about other communes
and conflict records about rows it does not hold, so an older office cannot leak them.
- ``peers``, ``accepted_units`` / ``set_accepted_units``, ``revoke_peer``: who we trust.
- ``conflicts`` / ``restore_conflict``: the versions that lost a conflict, restorable.
- ``history``: packages sent and received; ``silence_warnings``: a commune that has sent
  nothing for more than 35 days; ``removable_drives``: USB sticks to offer.

Long functions accept ``progress(fraction, label)`` and a ``cancel`` ``threading.Event``.
"""

from __future__ import annotations

from papi_desktop.services.sync.common import (
    SETTING_SEQ,
    SETTING_UNITS,
    SILENCE_DAYS,
    Cancelled,
    PackageReport,
    Progress,
)
from papi_desktop.services.sync.conflicts import conflicts, restore_conflict
from papi_desktop.services.sync.export import ExportResult, PackageOut, export_package
from papi_desktop.services.sync.history import history, removable_drives, silence_warnings
from papi_desktop.services.sync.importer import dry_run, import_packages, package_files
from papi_desktop.services.sync.peers import (
    accepted_units,
    edit_accepted_units,
    ensure_identity,
    peers,
    revoke_peer,
    set_accepted_units,
    supervisor,
)

__all__ = [
    "SETTING_SEQ",
    "SETTING_UNITS",
    "SILENCE_DAYS",
    "Cancelled",
    "ExportResult",
    "PackageOut",
    "PackageReport",
    "Progress",
    "accepted_units",
    "conflicts",
    "dry_run",
    "edit_accepted_units",
    "ensure_identity",
    "export_package",
    "history",
    "import_packages",
    "package_files",
    "peers",
    "removable_drives",
    "restore_conflict",
    "revoke_peer",
    "set_accepted_units",
    "silence_warnings",
    "supervisor",
]
