"""Peers and enrolment: this site's key, the sites it trusts, the communes an office accepts,
revoking a lost PC."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext, SiteInfo
from papi_desktop.services.sync.common import SETTING_UNITS
from papi_desktop.store import sync_state
from papi_desktop.sync import identity


def ensure_identity(ctx: AppContext) -> dict[str, str]:
    """Create this site's key pair if missing; return ``{site_id, public_key, fingerprint}``."""
    site = ctx.require_site()
    public = identity.ensure_key(ctx.paths.keys, site.id)
    return {"site_id": site.id, "public_key": public, "fingerprint": identity.fingerprint(public)}


def peers(ctx: AppContext) -> list[dict[str, Any]]:
    """Known sites: role, unit, fingerprint, status, last package, acknowledgements."""
    ctx.require_site()
    out = []
    for d in sync_state.peers(ctx.db):
        d.pop("public_key")
        out.append(d)
    return out


def _peer(ctx: AppContext, site_id: str) -> dict[str, Any] | None:
    return sync_state.peer(ctx.db, site_id)


def supervisor(ctx: AppContext) -> dict[str, Any] | None:
    """The supervising office a commune enrolled with (None before the first package)."""
    return sync_state.trusted_office(ctx.db)


def accepted_units(ctx: AppContext) -> list[str] | None:
    """Commune codes a supervising office accepts; None means every commune of its province."""
    raw = ctx.db.get_setting(SETTING_UNITS)
    return None if raw in (None, "") else list(json.loads(raw))


def set_accepted_units(ctx: AppContext, codes: Iterable[str] | None) -> None:
    """Edit the supervising office's list of communes (None: the whole province)."""
    ctx.require_site("district")
    value = None if codes is None else json.dumps(sorted({c.strip() for c in codes if c}))
    ctx.db.set_setting(SETTING_UNITS, value)


def edit_accepted_units(
    ctx: AppContext,
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    whole_province: bool = False,
) -> list[dict[str, Any]]:
    """Change which communes the supervising office accepts packages from; returns the list.

    Starting from an explicit list (or, the first time, every commune of the province), adds
    and removes official commune codes; ``whole_province`` goes back to the default.
    Unknown codes are refused before anything changes.
    """
    site = ctx.require_site("district")
    from papi_desktop.services.units import unit_code

    add, remove = [unit_code(c) for c in add], [unit_code(c) for c in remove]
    for code in add + remove:
        if not sync_state.commune_exists(ctx.db, code):
            raise UserError(
                f"Không có xã/phường mã “{code}” trong danh mục hành chính. "
                "Tìm mã bằng: papi-desktop units search TÊN",
                f"No commune with code “{code}”. Find it with: papi-desktop units search NAME",
            )
    for code in add:
        _same_province(ctx, site, code)
    if whole_province:
        with ctx.db.transaction():
            set_accepted_units(ctx, None)
    elif add or remove:
        current = accepted_units(ctx)
        if current is None:
            current = sync_state.province_communes(ctx.db, site.province_code)
        codes = (set(current) | set(add)) - set(remove)
        with ctx.db.transaction():
            set_accepted_units(ctx, codes)
    codes = accepted_units(ctx)
    if codes is None:
        return sync_state.commune_names(ctx.db, province_code=site.province_code)
    return sync_state.commune_names(ctx.db, codes=codes)


def _same_province(ctx: AppContext, site: SiteInfo, code: str) -> None:
    """Refuse a commune of another province: this office supervises its own province only."""
    from papi_desktop.services.units import commune

    c = commune(ctx, code)
    if c is not None and c["province_code"] != site.province_code:
        raise UserError(
            f"{c['name']} (mã {code}) thuộc {c['province_name']}, không thuộc "
            f"{site.province_name} của cơ quan này; không thêm. Kiểm tra lại mã bằng: "
            "papi-desktop units search MÃ",
            f"{c['name']} ({code}) belongs to {c['province_name']}, not to this office's "
            f"{site.province_name}; not added. Check the code with: papi-desktop units search CODE",
        )


def _unit_accepted(ctx: AppContext, site: SiteInfo, unit_code: str | None) -> bool:
    codes = accepted_units(ctx)
    if codes is not None:
        return unit_code in codes
    return sync_state.commune_exists(ctx.db, unit_code, site.province_code)


def revoke_peer(ctx: AppContext, site_id: str) -> None:
    """Stop accepting packages from a peer (lost or stolen PC)."""
    ctx.require_site()
    with ctx.db.transaction():
        if not sync_state.set_peer_status(ctx.db, site_id, "revoked"):
            raise UserError(f"Không có máy nào mã {site_id}.", f"No known site with id {site_id}.")


def _trusted_acks(ctx: AppContext, site_ids: Iterable[str] | None = None) -> dict[str, str]:
    """What this site has seen of each trusted peer (all of them, or only ``site_ids``)."""
    found = sync_state.trusted_seen(ctx.db)
    if site_ids is None:
        return found
    wanted = set(site_ids)
    return {k: v for k, v in found.items() if k in wanted}


def _province_communes(ctx: AppContext, site: SiteInfo) -> set[str]:
    codes = accepted_units(ctx)
    if codes is not None:
        return set(codes)
    return set(sync_state.province_communes(ctx.db, site.province_code))
