"""The supervising-office demo and benchmark data: a demo of N communes is N real communes
of the office's own province (Khánh Hòa when it has enough, else the smallest province that
has N), never fewer than asked for without saying so."""

from __future__ import annotations

from datetime import date

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import demo, district, district_demo, units

TODAY = date(2026, 11, 20)


def test_a_demo_larger_than_khanh_hoa_uses_a_province_that_has_that_many(tmp_path):
    with district_demo.init_office(tmp_path / "ref", today=TODAY) as ref:
        khanh_hoa = len(units.communes_of_province(ref, "56"))
        assert district_demo.province_with(ref, 30) == ("56", khanh_hoa)
        assert district_demo.province_with(ref, khanh_hoa) == ("56", khanh_hoa)
        code, n = district_demo.province_with(ref, khanh_hoa + 1)
        sizes = {p["code"]: len(units.communes_of_province(ref, p["code"]))
                 for p in units.provinces(ref)}  # fmt: skip
        assert n == sizes[code] > khanh_hoa
        assert n == min(s for s in sizes.values() if s > khanh_hoa)
        with pytest.raises(UserError, match=str(max(sizes.values()))):
            district_demo.province_with(ref, max(sizes.values()) + 1)
    wanted = khanh_hoa + 1
    with district_demo.init_office(tmp_path / "office", today=TODAY, province_code=code) as office:
        assert office.site.province_code == code
        name = units.province(office, code)["name"]
        assert office.site.unit_name == f"Sở Nội vụ {name[0].lower()}{name[1:]}"
        demo.mark_demo_folder(office)
        demo.generate(office, communes=wanted, years=1)
        enrolled = district.enrolled_units(office)
        assert len(enrolled) == wanted
        assert set(enrolled) <= {c["code"] for c in units.communes_of_province(office, code)}
