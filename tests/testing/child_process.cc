// Copyright 2026 The Thrombo Authors.
#include "tests/testing/child_process.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace thrombo::testing {

std::filesystem::path ThromboBinary() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return srcdir != nullptr && workspace != nullptr
             ? std::filesystem::path(srcdir) / workspace / "service" / "thrombo"
             : std::filesystem::path("service/thrombo");
}

pid_t SpawnWithLog(std::vector<std::string> args, const std::filesystem::path& log_path) {
  if (args.empty()) return -1;
  const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) return -1;
  // argv is built before fork: the child only calls async-signal-safe functions.
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out);
  return pid;
}

}  // namespace thrombo::testing
