"""Every add-on's ``tests/__init__.py`` imports all of its test modules.

Odoo's own runner (``--test-enable``, as OCA CI and runbot run add-ons) only
runs the test modules that ``<addon>/tests/__init__.py`` imports; pytest-odoo
collects the files whatever the package imports. A test module missing from
the package therefore passes under ``make test`` and silently never runs
elsewhere. This check reads the files only (no Odoo, no database).
"""
import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDONS = os.path.join(ROOT, "addons")


def _addons_with_tests():
    names = []
    for name in sorted(os.listdir(ADDONS)):
        path = os.path.join(ADDONS, name)
        if os.path.isfile(os.path.join(path, "__manifest__.py")) and os.path.isdir(
            os.path.join(path, "tests")
        ):
            names.append(name)
    return names


def _test_modules(tests_dir):
    return {
        filename[:-3]
        for filename in os.listdir(tests_dir)
        if filename.startswith("test_") and filename.endswith(".py")
    }


def _imported_modules(init_path):
    """Names of the sibling modules that ``tests/__init__.py`` imports."""
    if not os.path.isfile(init_path):
        return set()
    with open(init_path, encoding="utf-8") as init_file:
        tree = ast.parse(init_file.read(), filename=init_path)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:  # from .test_x import ...
                names.add(node.module.split(".")[0])
            else:  # from . import test_x, test_y
                names.update(alias.name for alias in node.names)
    return names


def test_addons_have_tests():
    assert _addons_with_tests(), "no add-on with a tests/ folder under %s" % ADDONS


@pytest.mark.parametrize("addon", _addons_with_tests())
def test_tests_package_imports_every_test_module(addon):
    tests_dir = os.path.join(ADDONS, addon, "tests")
    init_path = os.path.join(tests_dir, "__init__.py")
    missing = sorted(_test_modules(tests_dir) - _imported_modules(init_path))
    assert not missing, (
        "Odoo's test runner (--test-enable) will not run %d test module(s) of %s: "
        "add to addons/%s/tests/__init__.py\n%s"
        % (
            len(missing),
            addon,
            addon,
            "\n".join("from . import %s" % name for name in missing),
        )
    )


@pytest.mark.parametrize("addon", _addons_with_tests())
def test_tests_package_imports_only_existing_modules(addon):
    tests_dir = os.path.join(ADDONS, addon, "tests")
    init_path = os.path.join(tests_dir, "__init__.py")
    present = {
        filename[:-3]
        for filename in os.listdir(tests_dir)
        if filename.endswith(".py")
    } | {
        entry
        for entry in os.listdir(tests_dir)
        if os.path.isfile(os.path.join(tests_dir, entry, "__init__.py"))
    }
    dangling = sorted(_imported_modules(init_path) - present)
    assert not dangling, (
        "addons/%s/tests/__init__.py imports module(s) that do not exist; "
        "remove:\n%s"
        % (addon, "\n".join("from . import %s" % name for name in dangling))
    )
