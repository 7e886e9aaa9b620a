// Copyright 2026 The Thrombo Authors.
// Tests that run the real `thrombo` binary as a child process (serve, replicas, scan shards).
#ifndef THROMBO_TESTS_TESTING_CHILD_PROCESS_H_
#define THROMBO_TESTS_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace thrombo::testing {

// The `thrombo` binary in the test's runfiles (the test has data = ["//service:thrombo"]);
// service/thrombo relative to the working directory outside Bazel.
std::filesystem::path ThromboBinary();

// One child process whose stdout and stderr go to a log file. Killed (SIGKILL) and reaped on
// destruction if still running.
class ChildProcess final {
 public:
  // Starts args[0] with args, its output in a fresh `log_path`. Never null: a child that could
  // not be started (no log file, fork failed) reads as exited with no status.
  static std::unique_ptr<ChildProcess> Start(std::vector<std::string> args,
                                             std::filesystem::path log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // For `thrombo serve`: the HTTP port from its banner ("... discovery at
  // http://127.0.0.1:PORT/cds-services"), or 0 if it did not come up within `bound` (or exited).
  uint16_t WaitForPort(absl::Duration bound = absl::Seconds(20));
  uint16_t port() const { return port_; }  // the last WaitForPort's answer

  void Signal(int signal_number);
  // The exit code once it exits within `bound` (128 + signal when killed by one); nullopt while
  // it is still running.
  std::optional<int> WaitForExit(absl::Duration bound);
  std::string Log() const;

 private:
  ChildProcess() = default;
  bool Exited();

  std::filesystem::path log_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::optional<int> exit_status_;
};

}  // namespace thrombo::testing

#endif  // THROMBO_TESTS_TESTING_CHILD_PROCESS_H_
