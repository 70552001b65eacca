"""Make ``import property_billing.rules...`` work without importing odoo.

Each add-on under ``addons/`` is registered as a bare package (its
``__init__.py``, which imports the Odoo models, is not executed), so the
pure-Python business rules in ``<addon>/rules/`` are tested on their own.
"""
import os
import sys
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = os.path.join(ROOT, "addons")

for _name in sorted(os.listdir(ADDONS)):
    _path = os.path.join(ADDONS, _name)
    # an add-on, or the rules of one whose models are still to come
    _is_addon = os.path.isfile(os.path.join(_path, "__manifest__.py")) or \
        os.path.isfile(os.path.join(_path, "rules", "__init__.py"))
    if _is_addon and _name not in sys.modules:
        _package = types.ModuleType(_name)
        _package.__path__ = [_path]
        sys.modules[_name] = _package

try:
    from hypothesis import settings
except ImportError:  # pragma: no cover - hypothesis is in requirements/python.txt
    settings = None

if settings is not None:
    # No per-example deadline: a loaded CI machine must not turn slowness into a
    # failure. In CI the examples are derandomized (the same run every time);
    # developers' runs keep exploring new examples.
    settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
    settings.register_profile("dev", deadline=None, print_blob=True)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
