#!/usr/bin/env python3
"""CTest Install.ConsumerBuildsAgainstThePackage: `cmake --install` of this
build gives a package that examples/consumer, a project of its own, finds with
find_package(racestress), builds with and tests with, as the README shows:
its cases run and pass under the package's main (the racy one flagged, the
clean one not), its code under test is compiled with the package's flags,
and it links only the package's libraries, never the system's libabsl or
libgtest (not compiled with the sanitizer). A test binary with flags of its
own named --seed and --json keeps them, and takes racestress's seed as
--racestress_seed. Then a project compiled by GCC is
refused with a clear message. Everything happens in a temporary directory,
removed afterwards; nothing is fetched.

  install_consumer_test.py --build-dir DIR --cmake CMAKE --ctest CTEST
      --cxx CLANG++ --make NINJA --cxx-flags FLAGS --linker-flags FLAGS
"""

import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# harness/tests/ -> the source tree.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONSUMER = os.path.join(ROOT, "examples", "consumer")
RACY_CASE, CLEAN_CASE = "Ledger.LostDepositUnlocked", "Ledger.LostDepositLocked"
# TESTs with scenarios (EXPECT_RACE_DETECTED around the first, EXPECT_RACE_FREE
# around the others).
RACY_SCENARIO = "LedgerScenario.UnlockedDepositsAreCaught"
CLEAN_SCENARIOS = ("LedgerScenario.ConcurrentDepositsAreCounted",
                   "LedgerScenario.BalanceReadDuringADepositIsBeforeOrAfter")
# user_flags_test: flags of the project's own named --seed and --json.
USER_FLAG_TESTS = ("UserFlags.SeedAndJsonAreTheProjectsOwn",
                   "UserFlags.ScenarioChildSeesTheProjectsFlags",
                   "UserFlags.CaseChildSeesTheProjectsFlags")


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def run(what, args, timeout, env, expect_success=True, cwd=None):
    """Runs args, returns its output; fails the test, naming `what`, when the
    exit code is not the expected one or it outlives `timeout` seconds."""
    start = time.monotonic()
    print(f"-- {what}: {shlex.join(args)}", flush=True)
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=cwd)
    except subprocess.TimeoutExpired:
        fail(f"{what} took over {timeout} s")
    log = proc.stdout + proc.stderr
    if (proc.returncode == 0) != expect_success:
        fail(f"{what} exited {proc.returncode}:\n{log}")
    print(f"   {time.monotonic() - start:.1f} s", flush=True)
    return log


def link_edge(build_ninja, target):
    """The variables of `target`'s link edge in build.ninja (LINK_FLAGS,
    LINK_LIBRARIES, ...), each split into tokens."""
    with open(build_ninja) as f:
        text = f.read()
    edge = re.search(r"^build " + re.escape(target) + r"[ :].*\n((?:  .*\n)+)", text, re.M)
    if edge is None:
        fail(f"no link edge for {target} in {build_ninja}")
    variables = re.findall(r"^  (\w+) = (.*)$", edge.group(1), re.M)
    return {name: value.split() for name, value in variables}


def compile_command(build, source):
    with open(os.path.join(build, "compile_commands.json")) as f:
        for entry in json.load(f):
            if entry["file"].endswith(source):
                return shlex.split(entry["command"])
    fail(f"no compile command for {source} in {build}/compile_commands.json")


def check_user_flags(build, env):
    """user_flags_test defines --seed and --json of its own: given both, and
    racestress's seed as --racestress_seed, it passes (its tests check the
    project's values, in its children too), racestress's banner echoes the
    run seed with the spelling that reruns it, and racestress writes no
    report to the project's --json path."""
    binary = os.path.join(build, "user_flags_test")
    if not os.access(binary, os.X_OK):
        fail(f"user_flags_test was not built at {binary}")
    cwd = os.path.join(build, "user_flags_run")
    os.makedirs(cwd, exist_ok=True)
    log = run("run user_flags_test", [binary, "--seed=users-own-value", "--json=users-own-json",
                                      "--racestress_seed=0x2a"], 300, env, cwd=cwd)
    banner = ("racestress: seed 0x000000000000002a, preset ",
              "(rerun the same seeds with --racestress_seed=0x000000000000002a)")
    if not all(part in log for part in banner):
        fail(f"user_flags_test's banner does not echo --racestress_seed=0x2a:\n{log}")
    if not re.search(r"\[  PASSED  \] %d tests" % len(USER_FLAG_TESTS), log):
        fail(f"user_flags_test did not pass its {len(USER_FLAG_TESTS)} tests:\n{log}")
    if os.path.exists(os.path.join(cwd, "users-own-json")):
        fail("racestress took the project's --json=users-own-json for its report")


def check_tests_ran(log):
    """The cases and scenarios ran, through CTest, and met their expectations;
    returns the number of tests and the racy case's verdict."""
    total = re.search(r"100% tests passed, 0 tests failed out of (\d+)", log)
    if total is None or int(total.group(1)) == 0:
        fail(f"the consumer's ctest ran no tests, or not all passed:\n{log}")
    for case in (RACY_CASE, CLEAN_CASE, RACY_SCENARIO, *CLEAN_SCENARIOS, *USER_FLAG_TESTS):
        if not re.search(r"Test +#\d+: " + re.escape(case) + r" \.+ +Passed", log):
            fail(f"{case} did not run and pass in the consumer's ctest:\n{log}")
    flagged = re.search(re.escape(RACY_CASE) + r": flagged as expected \([^)]*\)", log)
    if flagged is None:
        fail(f"{RACY_CASE} was not flagged as expected:\n{log}")
    if not re.search(re.escape(RACY_SCENARIO) + r": flagged as expected \([^)]*\)", log):
        fail(f"{RACY_SCENARIO} was not flagged as expected:\n{log}")
    for scenario in CLEAN_SCENARIOS:
        # The scenario ran (its histogram), inside the TEST that holds it.
        test = re.search(r"\[ RUN      \] " + re.escape(scenario) + r"\n(.*?)"
                         r"\[       OK \] " + re.escape(scenario), log, re.S)
        if test is None or not re.search(r"\d+ iterations in .*\n.*RESULT +SAMPLES",
                                         test.group(1)):
            fail(f"{scenario} printed no histogram:\n{log}")
    return total.group(1), flagged.group(0)


def check_compiled(build, prefix, args):
    # Compiled with the package's flags: the code under test as the preset
    # compiles, the cases at least with its sanitizer, both with the
    # package's headers.
    include_dir = os.path.join(prefix, "include")
    ledger = compile_command(build, "ledger.cc")
    missing = [f for f in shlex.split(args.cxx_flags) if f not in ledger]
    if missing:
        fail(f"ledger.cc was compiled without {missing} of the package's flags: "
             f"{shlex.join(ledger)}")
    if not any(f.startswith("-fsanitize-coverage=") for f in ledger):
        fail(f"ledger.cc was not compiled by racestress_instrument(): {shlex.join(ledger)}")
    cases = compile_command(build, "ledger_cases_test.cc")
    sanitizer = [f for f in shlex.split(args.cxx_flags) if f.startswith("-fsanitize")]
    if any(f not in cases for f in sanitizer) or include_dir not in cases:
        fail(f"ledger_cases_test.cc was not compiled with {sanitizer} and -isystem "
             f"{include_dir}: {shlex.join(cases)}")


def check_linked(build, prefix, sanitizer, sanitizer_link_flags):
    """Linked with the package's libraries only, and its sanitizer; returns how
    many."""
    edge = link_edge(os.path.join(build, "build.ninja"), "ledger_cases_test")
    libraries = edge.get("LINK_LIBRARIES", [])
    archives = [t for t in libraries if t.endswith((".a", ".so")) and os.path.isabs(t)]
    foreign = [t for t in archives if not t.startswith(prefix + os.sep)]
    system = [t for t in libraries if re.match(r"-l(absl|gtest|gmock)", t)]
    if foreign or system:
        fail(f"the consumer linked libraries from outside the package: {foreign + system}")
    for name in ("libabsl_synchronization.a", "libgtest.a", "libracestress_harness.a",
                 "libracestress_gtest_main.a"):
        if os.path.join(prefix, "lib", name) not in archives:
            fail(f"the consumer did not link {name} from {prefix}/lib: {libraries}")
    if any(f not in edge.get("LINK_FLAGS", []) for f in sanitizer_link_flags):
        fail(f"the package did not bring its link flags {sanitizer_link_flags}: "
             f"{edge.get('LINK_FLAGS')}")
    return len(archives)


def check_gcc_refused(work, prefix, args, env):
    """A project compiled by GCC is refused, saying why."""
    gxx = shutil.which("g++")
    if gxx is None:
        print("-- no g++ here: the refusal of a GCC project is not checked")
    else:
        gcc_configure = [args.cmake, "-S", CONSUMER, "-B", os.path.join(work, "gcc"), "-G",
                         "Ninja", f"-DCMAKE_MAKE_PROGRAM={args.make}",
                         f"-DCMAKE_CXX_COMPILER={gxx}", f"-DCMAKE_PREFIX_PATH={prefix}"]
        refused = run("configure with g++", gcc_configure, 300, env, expect_success=False)
        # CMake wraps the package's message: compare it with whitespace folded.
        if not re.search(r"racestress \(preset [\w-]+\) needs clang as the C\+\+ compiler",
                         " ".join(refused.split())):
            fail(f"a GCC project was refused without the package's message:\n{refused}")


def check_other_clang_refused(work, prefix, args, env):
    """A project compiled by another clang major version is refused, naming the package's."""
    ours = subprocess.run([args.cxx, "-dumpversion"], capture_output=True, text=True).stdout
    major = ours.split(".")[0].strip()
    others = sorted(p for p in glob.glob("/usr/bin/clang++-[0-9]*")
                    if re.fullmatch(r".*clang\+\+-(\d+)", p)
                    and re.fullmatch(r".*clang\+\+-(\d+)", p).group(1) != major)
    if not others:
        print("-- no second clang here: the refusal of another clang is not checked")
        return
    configure = [args.cmake, "-S", CONSUMER, "-B", os.path.join(work, "other-clang"), "-G",
                 "Ninja", f"-DCMAKE_MAKE_PROGRAM={args.make}",
                 f"-DCMAKE_CXX_COMPILER={others[0]}", f"-DCMAKE_PREFIX_PATH={prefix}"]
    refused = run(f"configure with {others[0]}", configure, 300, env, expect_success=False)
    folded = " ".join(refused.split())
    if not re.search(rf"was built with clang {major}\.\S+ and needs the same major version; "
                     rf"this project's is clang \S+ \(configure with "
                     rf"-DCMAKE_CXX_COMPILER=\S+\)", folded):
        fail(f"a project compiled by {others[0]} was refused without the package's message:\n"
             f"{refused}")


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--build-dir", "--cmake", "--ctest", "--cxx", "--make", "--cxx-flags",
                 "--linker-flags"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    # The package must bring its sanitizer's link flags and runtime options
    # itself: the consumer gets the build's linker choice only, and none of
    # the runtime options CTest hands the in-tree tests.
    linker_flags = [f for f in shlex.split(args.linker_flags) if not f.startswith("-fsanitize")]
    sanitizer_link_flags = [f for f in shlex.split(args.linker_flags)
                            if f.startswith("-fsanitize=")]
    env = {k: v for k, v in os.environ.items()
           if k not in ("TSAN_OPTIONS", "ASAN_OPTIONS", "UBSAN_OPTIONS", "CMAKE_PREFIX_PATH")}

    with tempfile.TemporaryDirectory(prefix="racestress-install-test-") as work:
        prefix, build = os.path.join(work, "prefix"), os.path.join(work, "consumer")
        run("install", [args.cmake, "--install", args.build_dir, "--prefix", prefix], 300, env)
        configure = [args.cmake, "-S", CONSUMER, "-B", build, "-G", "Ninja",
                     f"-DCMAKE_MAKE_PROGRAM={args.make}", f"-DCMAKE_CXX_COMPILER={args.cxx}",
                     f"-DCMAKE_EXE_LINKER_FLAGS={shlex.join(linker_flags)}",
                     f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
                     "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"]
        run("configure the consumer", configure, 300, env)
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            found = re.search(r"^racestress_DIR:PATH=(.*)$", f.read(), re.M)
        package_dir = os.path.join(prefix, "lib", "cmake", "racestress")
        if found is None or os.path.realpath(found.group(1)) != os.path.realpath(package_dir):
            fail(f"the consumer found racestress at {found and found.group(1)}, not {package_dir}")
        run("build the consumer", [args.cmake, "--build", build], 600, env)
        log = run("test the consumer", [args.ctest, "--test-dir", build, "-V"], 300, env)

        total, flagged = check_tests_ran(log)
        check_user_flags(build, env)
        check_compiled(build, prefix, args)
        sanitizer = [f for f in shlex.split(args.cxx_flags) if f.startswith("-fsanitize")]
        archives = check_linked(build, prefix, sanitizer, sanitizer_link_flags)
        check_gcc_refused(work, prefix, args, env)
        check_other_clang_refused(work, prefix, args, env)

    print(f"PASS: {total} consumer tests passed; {flagged}; "
          f"linked {archives} libraries, all from the package")
    return 0


if __name__ == "__main__":
    sys.exit(main())
