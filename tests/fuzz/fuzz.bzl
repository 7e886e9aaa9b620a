"""thrombo_fuzzer: one libFuzzer target, its replay test and its corpus layout.

For a target `name` (source `name + ".cc"` defining LLVMFuzzerTestOneInput):
  :<name>_lib          the target function (alwayslink).
  :<name>              the fuzzer. Under --config=fuzz (clang, -fsanitize=fuzzer,address,undefined,
                       see .bazelrc) it links libFuzzer; in other builds it links replay_main, so
                       `bazel build //...` keeps working with gcc.
  :<name>_replay_test  runs corpus/<name>/ and regressions/<name>/ through the target once
                       (part of the normal and --config=asan suites).
"""

def thrombo_fuzzer(name, deps, testonly = False):
    native.cc_library(
        name = name + "_lib",
        srcs = [name + ".cc"],
        deps = deps,
        alwayslink = True,
        testonly = testonly,
    )
    native.cc_binary(
        name = name,
        testonly = testonly,
        deps = [":" + name + "_lib"] + select({
            ":fuzzing": [],
            "//conditions:default": [":replay_main"],
        }),
        linkopts = select({
            ":fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
    )
    native.cc_test(
        name = name + "_replay_test",
        size = "medium",
        deps = [":" + name + "_lib", ":replay_main"],
        data = native.glob(["corpus/%s/**" % name, "regressions/%s/**" % name]),
        args = ["tests/fuzz/corpus/" + name, "tests/fuzz/regressions/" + name],
    )
