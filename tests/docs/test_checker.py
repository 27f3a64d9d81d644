#!/usr/bin/env python3
"""The docs checker's own test: it passes a doc whose figures are all checked, measured,
cited or examples, and fails each wrong figure, path, option and region of another
(tests/docs/fixtures). Usage: test_checker.py SOURCE_DIR EMBED SA_CLI"""
import os
import subprocess
import sys
import unittest

SRC, EMBED, CLI = sys.argv[1:4]
HERE = os.path.join(SRC, "tests", "docs")


def check(name):
    p = subprocess.run([sys.executable, os.path.join(HERE, "check_docs.py"), SRC, EMBED, CLI,
                        os.path.join(HERE, "fixtures", name)], capture_output=True, text=True)
    return p.returncode, p.stdout


class Checker(unittest.TestCase):
    def test_good(self):
        rc, out = check("good.md")
        self.assertEqual(rc, 0, out)
        self.assertIn("3 blocks checked by running", out)
        self.assertIn("figures: 6 checked, 2 measured, 1 cited", out)
        self.assertIn(" 0 problem(s)", out)

    def test_bad(self):
        rc, out = check("bad.md")
        self.assertEqual(rc, 1, out)
        want = [
            "bad.md:4: 1233.00 is not in the output of the check",        # a wrong amount
            "bad.md:7: 2 MiB is not in the output of the check",          # a wrong limit
            "bad.md:9: the figure 353 passed is neither checked",         # an unchecked count
            "bad.md:11: the figure 9f2c4e1a7b3d is neither checked",      # an unchecked hash
            "bad.md:13: libsa/core/decision.c:99999 points past the end",  # a line that is not there
            "bad.md:13: the line reference libsa/core/decision.c:99999 goes stale",
            "bad.md:15: libsa/core/limit.h does not exist",               # a wrong path
            "bad.md:15: no file named engine_old.c",                      # a wrong file name
            "bad.md:17: `sa screen` has no option --regions",             # a wrong option
            "bad.md:17: the link ../nowhere.md points at nothing",        # a dead link
            "bad.md:19: a measured region names its command and machine",
            "bad.md:24: sa_engine_start is not defined anywhere",          # a function that is not there
            "bad.md:24: no ctest test is named no_such_test",             # a test that is not there
            "bad.md:24: no test function test_nothing__here",
            "bad.md:25: docs/api.md has no section §42",                  # a section that is not there
            "bad.md:25: docs/decision.md has no heading \"No such heading\"",
            "bad.md:29: this line of the block is not in the output",     # an output that changed
            "bad.md:34: not a prototype of include/sa/",                  # a prototype that changed
            "bad.md:40: the block is refused by sa eval",                 # an example household that is wrong
            "bad.md:37: the examples region is never closed",
            "bad.md:46: an indented code block",                          # a command neither run nor marked
        ]
        for w in want:
            self.assertIn(w, out)
        self.assertIn(f" {len(want)} problem(s)", out)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
