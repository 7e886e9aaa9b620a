"""Wraps Debian's system libraries as cc_library targets in one repository, @system.

Link flags come from pkg-config when the repository is set up, so they match the installed
versions (a hand-written abseil list does not link). Headers are on the default include path.
"""

# target name -> (pkg-config modules, extra link flags)
_LIBS = {
    "absl": (["absl_status", "absl_statusor", "absl_strings", "absl_str_format", "absl_time",
              "absl_synchronization", "absl_flat_hash_map", "absl_flat_hash_set",
              "absl_random_random", "absl_cord"], []),
    "absl_flags": (["absl_flags", "absl_flags_parse", "absl_flags_usage"], []),
    # Reflection from its static archive, with the static protobuf it needs after it: the shared
    # one would load libprotobuf.so beside the binary's own (third_party/protobuf/protobuf.BUILD).
    "grpc": (["grpc++"], ["-l:libgrpc++_reflection.a", "-l:libprotobuf.a", "-lz"]),
    "gtest": ([], ["-lgmock", "-lgtest", "-pthread"]),
    "gtest_main": ([], ["-lgmock", "-lgtest_main", "-lgtest", "-pthread"]),
    "benchmark": ([], ["-lbenchmark_main", "-lbenchmark", "-pthread"]),
    "openssl": (["openssl"], []),
    "curl": (["libcurl"], []),
    "sqlite": (["sqlite3"], []),
    "jemalloc": (["jemalloc"], []),
    "boost_asio": ([], ["-pthread"]),  # Beast and Asio are header-only in Boost 1.81.
    "rapidjson": ([], []),  # header-only
    # simdjson 3.0: the hook path's projection reader (fhir/projection). Its pkg-config cflags
    # carry -DSIMDJSON_THREADS_ENABLED=1, which must match the library's build.
    "simdjson": (["simdjson"], []),
    # libpq: the PostgreSQL store for fleets (service/store). Headers live in
    # /usr/include/postgresql, linked into this repository below.
    "libpq": (["libpq"], []),
}

# Libraries whose headers are not on the default include path: target -> system folder.
_INCLUDE_DIRS = {
    "libpq": "/usr/include/postgresql",
}

def _pkg_config_libs(ctx, modules):
    if not modules:
        return []
    result = ctx.execute(["pkg-config", "--libs"] + modules)
    if result.return_code != 0:
        fail("pkg-config --libs %s failed (run scripts/setup.sh): %s" %
             (" ".join(modules), result.stderr))
    return result.stdout.strip().split(" ")

def _pkg_config_defines(ctx, modules):
    if not modules:
        return []
    result = ctx.execute(["pkg-config", "--cflags-only-other"] + modules)
    if result.return_code != 0:
        fail("pkg-config --cflags %s failed (run scripts/setup.sh): %s" %
             (" ".join(modules), result.stderr))
    return [f[2:] for f in result.stdout.strip().split(" ") if f.startswith("-D")]

def _system_libs_impl(ctx):
    lines = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, (modules, extra) in _LIBS.items():
        flags = _pkg_config_libs(ctx, modules) + extra
        defines = _pkg_config_defines(ctx, modules)
        if name in _INCLUDE_DIRS:
            ctx.symlink(_INCLUDE_DIRS[name], name + "_include")
            lines.append(("cc_library(name = %r, hdrs = glob([%r]), includes = [%r], " +
                          "defines = %r, linkopts = %r)") %
                         (name, name + "_include/**/*.h", name + "_include", defines, flags))
        else:
            lines.append("cc_library(name = %r, defines = %r, linkopts = %r)" %
                         (name, defines, flags))
    ctx.file("WORKSPACE", 'workspace(name = "system")\n')
    ctx.file("BUILD", "\n".join(lines) + "\n")

system_libs = repository_rule(
    implementation = _system_libs_impl,
    local = True,
    environ = ["PKG_CONFIG_PATH"],
)
