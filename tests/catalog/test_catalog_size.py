"""The catalog's menus stay addressable as it grows: one service per menu path, one department per number."""
from collections import Counter


def test_every_menu_path_names_one_service(catalog):
    paths = Counter(tuple(s.menu_path) for s in catalog.services.values())
    assert [p for p, n in paths.items() if n > 1] == []


def test_every_department_has_its_own_menu_number_and_services(catalog):
    numbers = Counter(d.menu_number for d in catalog.departments.values())
    assert [n for n, c in numbers.items() if c > 1] == []
    assert all(catalog.by_department(d) for d in catalog.departments)


def test_service_menu_numbers_run_from_one_without_gaps(catalog):
    for department in catalog.departments:
        numbers = [s.menu_path[1] for s in catalog.by_department(department)]
        assert numbers == list(range(1, len(numbers) + 1)), department


def test_catalog_keeps_its_phase_one_size_while_it_grows(catalog):
    # The phase-two target is 360 services in 40 departments (issue 16); this branch reached the figure below.
    assert len(catalog.services) >= 170
    assert len(catalog.departments) >= 38
