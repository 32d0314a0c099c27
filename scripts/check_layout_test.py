#!/usr/bin/env python3
"""Tests of scripts/check_layout.py on small made-up trees and snippets."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layout  # noqa: E402


def body(lines):
    return "\n".join(["  x();"] * lines)


def long_functions(text, limit=5):
    saved = check_layout.MAX_FUNCTION_LINES
    check_layout.MAX_FUNCTION_LINES = limit
    try:
        return [line for _, line, _ in check_layout.check_functions("f.cc", text)]
    finally:
        check_layout.MAX_FUNCTION_LINES = saved


class FunctionBodies(unittest.TestCase):
    def test_a_long_function_is_flagged_at_its_signature(self):
        text = "namespace a {\n\nint F(int x,\n      int y) const {\n" + body(6) + "\n}\n}\n"
        self.assertEqual(long_functions(text), [3])

    def test_a_short_function_is_not(self):
        self.assertEqual(long_functions("void F() {\n" + body(2) + "\n}\n"), [])

    def test_namespaces_classes_enums_and_arrays_are_not_functions(self):
        text = ("namespace a {\nnamespace {\nclass C : public B<int(int)> {\n public:\n"
                "  int x_ = 0;\n};\nenum class E : uint8_t {\n" + "  kA,\n" * 8 + "};\n"
                "constexpr int kTable[] = {\n" + "  1,\n" * 8 + "};\n"
                "const Foo kFoo{\n" + "  1,\n" * 8 + "};\n}  // namespace\n}\n")
        self.assertEqual(long_functions(text), [])

    def test_a_member_function_inside_a_class_is_a_function(self):
        text = "class C {\n public:\n  void F() override ABSL_LOCKS_EXCLUDED(mu_) {\n" + body(6) + "\n  }\n};\n"
        self.assertEqual(long_functions(text), [3])

    def test_lambdas_count_for_their_function(self):
        text = "void F() {\n  auto f = [](int x) {\n" + body(3) + "\n  };\n" + body(2) + "\n}\n"
        self.assertEqual(long_functions(text), [1])

    def test_a_lambda_at_namespace_scope_is_not_a_function(self):
        self.assertEqual(long_functions("auto f = [](int x) {\n" + body(8) + "\n};\n"), [])

    def test_braces_in_strings_comments_and_raw_strings_do_not_count(self):
        text = ('const char kA[] = R"css(\n' + "a { b }\n}\n" * 5 + ')css";\n'
                "// void G() {\n"
                'void F() {\n  x("}}}", \'}\');  /* } */\n  y(1\'000);\n}\n'
                "#define M() {\n")
        self.assertEqual(long_functions(text), [])
        self.assertEqual(long_functions(text, limit=3), [14])

    def test_constructor_with_braced_member_initializers(self):
        text = "C::C(int x)\n    : a_{x},\n      b_(x) {\n" + body(6) + "\n}\n"
        self.assertEqual(long_functions(text), [1])

    def test_tests_are_functions(self):
        self.assertEqual(long_functions("TEST(Suite, Name) {\n" + body(6) + "\n}\n"), [1])


class Tree(unittest.TestCase):
    def tree(self, files):
        root = tempfile.mkdtemp()
        for path, text in files.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        return root

    def test_layering(self):
        root = self.tree({
            "harness/report/a.cc": '#include "harness/core/x.h"\n#include "harness/outcome.h"\n'
                                   '#include "harness/runner/flags.h"\n#include "harness/case.h"\n',
            "harness/core/b.cc": '#include "harness/stress/engine.h"\n#include "harness/tsan/t.h"\n',
            "harness/stress/c_test.cc": '#include "harness/runner/test_support.h"\n'
                                        '#include "harness/runner/flags.h"\n',
            "harness/gtest/d.cc": '#include "harness/report/a.h"\n#include "harness/runner/f.h"\n',
            "harness/api/e.cc": '#include "harness/case.h"\n#include "harness/stress/p.h"\n',
            "harness/newlayer/f.cc": "",
        })
        found = [(path, line) for path, line, _ in check_layout.check_tree(root)]
        self.assertEqual(sorted(found), [
            ("harness/core/b.cc", 1), ("harness/newlayer/f.cc", 1),
            ("harness/report/a.cc", 3), ("harness/report/a.cc", 4),
            ("harness/stress/c_test.cc", 2)])

    def test_long_files(self):
        root = self.tree({"harness/core/long.h": "\n" * 401, "harness/core/ok.h": "\n" * 400,
                          "harness/tests/t.py": "\n" * 401, "harness/core/notes.txt": "\n" * 999})
        found = [path for path, _, _ in check_layout.check_tree(root)]
        self.assertEqual(sorted(found), ["harness/core/long.h", "harness/tests/t.py"])


if __name__ == "__main__":
    unittest.main()
