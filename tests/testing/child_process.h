// Copyright 2026 The Thrombo Authors.
// Tests that run the real `thrombo` binary as a child process (serve replicas, scan shards).
#ifndef THROMBO_TESTS_TESTING_CHILD_PROCESS_H_
#define THROMBO_TESTS_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace thrombo::testing {

// The `thrombo` binary in the test's runfiles (the test has data = ["//service:thrombo"]);
// service/thrombo relative to the working directory outside Bazel.
std::filesystem::path ThromboBinary();

// Starts args[0] with args, its stdout and stderr both appended to a fresh `log_path`. The
// child's pid, or -1 when the log cannot be created or the fork fails. The caller waits for it.
pid_t SpawnWithLog(std::vector<std::string> args, const std::filesystem::path& log_path);

}  // namespace thrombo::testing

#endif  // THROMBO_TESTS_TESTING_CHILD_PROCESS_H_
