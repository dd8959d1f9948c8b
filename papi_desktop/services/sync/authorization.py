"""Authorization at the door: whom a package is for, whether its sender is trusted and which
unit its enrolled PC belongs to (a second PC of a unit needs ``replace``), limits readable from
the manifest, and the plain message of a refusal. Row-level ownership is ``sync.ownership``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from papi_desktop.services.context import AppContext, SiteInfo
from papi_desktop.services.sync.common import PackageReport, _unit_label, log
from papi_desktop.services.sync.peers import _peer, _unit_accepted, supervisor
from papi_desktop.store import sync_state
from papi_desktop.sync import authorize, identity, messages, ownership
from papi_desktop.sync.package import PackageRefused


def _refusal_report(
    ctx: AppContext,
    site: SiteInfo,
    file: Path,
    exc: PackageRefused,
    rep: PackageReport,
    manifest: dict[str, Any] | None,
    batch: bool,
) -> None:
    """Fill ``rep`` for a package that is not applied: ``skipped`` in a batch when it is
    addressed elsewhere, else ``refused``; the plain message from ``messages``, the technical
    one in ``detail`` and the log."""
    names = _plain_names(ctx, site, file, manifest, exc, rep)
    rep.reason, rep.detail = exc.code, exc.message_en
    if batch and getattr(exc, "skippable", False):
        rep.status, rep.needs_trust = "skipped", False
        rep.message_vi, rep.message_en = messages.skipped(names)
        log.info("sync: skipped %s (%s): %s", file.name, exc.code, exc.message_en)
        return
    rep.status = "refused"
    rep.message_vi, rep.message_en = messages.refusal(getattr(exc, "plain", exc.code), names)
    log.warning("sync: refused %s (%s): %s", file.name, exc.code, exc.message_en)


def _addressee(site: SiteInfo, manifest: dict[str, Any]) -> tuple[str | None, str | None]:
    """Where a package is addressed when it is not for this PC: (``messages`` constant,
    commune code of the intended receiver or None); ``(None, None)`` when it is for us."""
    sender = manifest.get("sender") or {}
    receiver = manifest.get("receiver") or {}
    if str(sender.get("site_id") or "") == site.id:
        return messages.OWN, None
    if receiver.get("role") != site.role:
        return messages.ROLE, None
    if receiver.get("province_code") != site.province_code:
        return messages.PROVINCE, None
    unit = receiver.get("unit_code")
    if unit not in (None, site.unit_code):
        return messages.UNIT, str(unit)
    if site.unit_code is not None and site.unit_code in (receiver.get("except_units") or []):
        return messages.OTHERS, None
    if receiver.get("site_id") not in (None, site.id):
        return messages.PC, None
    return None, None


def _refused(code: str, vi: str, en: str, **attrs: Any) -> PackageRefused:
    """A refusal carrying what the plain message needs (``where``, ``target``, ``plain``:
    the reason whose wording to use when it differs from ``code``)."""
    exc = PackageRefused(code, vi, en)
    for k, v in attrs.items():
        setattr(exc, k, v)
    return exc


def _check_sender(
    ctx: AppContext,
    site: SiteInfo,
    manifest: dict[str, Any],
    trust_new: bool,
    rep: PackageReport,
    replace: bool = False,
) -> dict[str, Any] | None:
    """Who sent it and whether we accept it; returns the known peer row (None when new).

    A package addressed elsewhere (another unit or PC, the other side, another province, or
    exported here) is refused as ``skippable`` before anything about its sender is decided:
    a folder import skips it without storing anything from it, whoever sent it."""
    sender = manifest["sender"]
    receiver = manifest.get("receiver") or {}
    sid = str(sender.get("site_id") or "")
    where, target = _addressee(site, manifest)
    if where is not None:
        raise _refused(
            "own" if where == messages.OWN else "receiver",
            f"Addressed elsewhere ({where}): receiver {json.dumps(receiver)}, "
            f"sender {sid} ({sender.get('role')}, {sender.get('unit_code')}).",
            f"Addressed elsewhere ({where}): receiver {json.dumps(receiver)}, "
            f"sender {sid} ({sender.get('role')}, {sender.get('unit_code')}).",
            where=where, target=target, skippable=True,
        )  # fmt: skip
    want_role = "district" if site.is_commune else "commune"
    if sender.get("role") != want_role or (
        site.is_commune and sender.get("province_code") != site.province_code
    ):
        detail = (
            f"Sender role {sender.get('role')} / province {sender.get('province_code')} cannot "
            f"send to a {site.role} of province {site.province_code}."
        )
        raise _refused("receiver", detail, detail, plain="ownership")
    if site.is_district and not _unit_accepted(ctx, site, sender.get("unit_code")):
        detail = f"Commune {sender.get('unit_code')} is not on this office's list."
        raise _refused("not_allowed", detail, detail)
    fp = identity.fingerprint(sender["public_key"])
    rep.fingerprint = fp
    known = _peer(ctx, sid)
    if known is not None:
        if known["public_key"] != sender["public_key"]:
            detail = f"Site {sid} is enrolled with another public key."
            raise _refused("key_changed", detail, detail)
        if known["status"] != "trusted":
            detail = f"Site {sid} has status {known['status']}."
            raise _refused("revoked", detail, detail)
        if (known["role"], known["unit_code"]) != (sender.get("role"), sender.get("unit_code")):
            detail = (
                f"Site {sid} is enrolled as {known['role']} {known['unit_code']} but the "
                f"manifest says {sender.get('role')} {sender.get('unit_code')}."
            )
            raise _refused("unit_mismatch", detail, detail, sender_name=known["unit_name"],
                           target=sender.get("unit_code"))  # fmt: skip
        return known
    same_key = sync_state.peer_with_key(ctx.db, sender["public_key"], sid)
    if same_key is not None:
        detail = f"Key of enrolled site {same_key['site_id']} reused by site {sid}."
        raise _refused("unit_mismatch", detail, detail, sender_name=same_key["unit_name"],
                       target=sender.get("unit_code"))  # fmt: skip
    rep.needs_trust = True
    if not trust_new:
        detail = f"Unknown site {sid}, fingerprint {fp}; confirm with --trust-new."
        raise _refused("unknown_sender", detail, detail)
    if site.is_district:
        current = sync_state.trusted_commune_pc(ctx.db, sender.get("unit_code"))
        if current is not None and not replace:
            detail = (
                f"Unit {sender.get('unit_code')} already has a trusted PC {current['site_id']} "
                f"(fingerprint {current['fingerprint']}, since {current['enrolled_at']}); "
                f"new site {sid} refused without --replace."
            )
            raise _refused("second_pc", detail, detail, old_fingerprint=current["fingerprint"],
                           since=current["enrolled_at"])  # fmt: skip
    return None


def _sender_of(
    ctx: AppContext,
    site: SiteInfo,
    manifest: dict[str, Any],
    known: dict[str, Any] | None,
    replace: bool,
) -> ownership.Sender:
    """The enrolled peer a package comes from, as the ownership rule sees it."""
    s = manifest["sender"]
    role = known["role"] if known else s["role"]
    unit = known["unit_code"] if known else s.get("unit_code")
    name = (
        (known or {}).get("unit_name")
        or (_unit_label(ctx, unit) if role == "commune" else "")
        or str(s.get("unit_name") or "")
    )
    # Earlier PCs of the same unit, whose natural keys this one may take over: replaced or
    # revoked (lost) ones, and the one it replaces now. A new office key replaces the old
    # office at a commune (see ``_apply``), so every earlier office PC counts.
    predecessors: set[str] = set()
    if role == "commune" and unit is not None:
        statuses = {"replaced", "revoked"} | ({"trusted"} if replace and known is None else set())
        predecessors = {
            r["site_id"]
            for r in sync_state.commune_pcs(ctx.db, unit)
            if r["status"] in statuses and r["site_id"] != s["site_id"]
        }
    elif role == "district":
        predecessors = {
            r["site_id"]
            for r in sync_state.peers(ctx.db)
            if r["role"] == "district" and r["site_id"] != s["site_id"]
        }
    restore: frozenset[str] = frozenset()
    if manifest.get("kind") == "restore":
        restore = frozenset(manifest.get("restore_sites") or [])
    return ownership.Sender(
        s["site_id"], role, unit, name, frozenset(predecessors), restore,
        site.unit_code if restore else None,
    )  # fmt: skip


def _plain_names(
    ctx: AppContext,
    site: SiteInfo,
    file: Path,
    manifest: dict[str, Any] | None,
    exc: PackageRefused,
    rep: PackageReport,
) -> messages.Names:
    """The names a plain message needs. A verified manifest names the sender; otherwise the
    file name (``PAPI-<code>-…``) says which commune it concerns: at the office, the sending
    commune; at a commune, the office (its own code) or another commune's upload."""
    n = messages.Names(
        file=file.name, here=site.unit_name or "", here_is_commune=site.is_commune,
        fingerprint=rep.fingerprint, where=str(getattr(exc, "where", "") or ""),
    )  # fmt: skip
    sender = (manifest or {}).get("sender") or {}
    if sender:
        n.sender = str(getattr(exc, "sender_name", "") or sender.get("unit_name") or "")
        n.sender_province = str(sender.get("province_name") or "") or _unit_label(
            ctx, sender.get("province_code")
        )
    else:
        parts = file.name.split("-")
        code = parts[1] if len(parts) > 2 and parts[0] == "PAPI" else None
        office = supervisor(ctx) if site.is_commune else None
        if site.is_commune and (code is None or code in (site.unit_code, site.province_code)):
            n.sender = office["unit_name"] if office else "cơ quan giám sát"
        elif code and code != site.province_code:
            n.sender = _unit_label(ctx, code)
    target = getattr(exc, "target", None)
    if target:
        n.target = _unit_label(ctx, target) or f"xã/phường mã {target}"
    n.what = getattr(exc, "what", ("", ""))
    n.limit = str(getattr(exc, "limit", ""))
    n.old_fingerprint = str(getattr(exc, "old_fingerprint", ""))
    n.since = str(getattr(exc, "since", ""))[:10]
    return n


def _describe(rep: PackageReport, m: dict[str, Any]) -> None:
    """The report's header fields from a verified manifest."""
    s = m["sender"]
    rep.package_id = m["package_id"]
    rep.sender = {k: s.get(k) for k in ("site_id", "role", "unit_code", "unit_name",
                                        "province_code")}  # fmt: skip
    rep.sender["fingerprint"] = identity.fingerprint(s["public_key"])
    rep.seq = m["seq"]
    rep.created_at = m["created_at"]
    rep.counts = dict(m.get("counts") or {})


def _admit(
    ctx: AppContext,
    site: SiteInfo,
    m: dict[str, Any],
    trust_new: bool,
    replace: bool,
    rep: PackageReport,
) -> tuple[dict[str, Any] | None, ownership.Sender]:
    """Everything decided from the manifest alone, before a byte is copied or extracted:
    addressee, sender trust, the sender's enrolled unit, the limits."""
    _describe(rep, m)
    known = _check_sender(ctx, site, m, trust_new, rep, replace)
    if m.get("kind") == "restore" and (
        known is None or (m.get("receiver") or {}).get("site_id") != site.id
    ):
        detail = "Restore package not addressed to this PC or from an unenrolled office."
        raise _refused("receiver", detail, detail, where=messages.RESTORE)
    authorize.check_manifest_limits(m)
    return known, _sender_of(ctx, site, m, known, replace)
