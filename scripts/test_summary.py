"""Print one closing line over several pytest JUnit reports.

    test_summary.py reports/*.xml   ->   "total: 212 passed, 0 failed, 0 skipped"
"""
import sys
import xml.etree.ElementTree as ET


def main(paths):
    tests = failed = skipped = 0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError):
            print("%s: missing or unreadable report" % path)
            failed += 1
            continue
        for suite in root.iter("testsuite"):
            tests += int(suite.get("tests", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
    passed = tests - failed - skipped
    print("total: %d passed, %d failed, %d skipped" % (passed, failed, skipped))


if __name__ == "__main__":
    main(sys.argv[1:])
