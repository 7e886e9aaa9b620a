// Copyright 2026 The Thrombo Authors.
#include "tests/testing/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"

namespace thrombo::testing {

std::filesystem::path ThromboBinary() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return srcdir != nullptr && workspace != nullptr
             ? std::filesystem::path(srcdir) / workspace / "service" / "thrombo"
             : std::filesystem::path("service/thrombo");
}

std::unique_ptr<ChildProcess> ChildProcess::Start(std::vector<std::string> args,
                                                  std::filesystem::path log_path) {
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->log_ = std::move(log_path);
  if (args.empty()) return child;
  const int out = ::open(child->log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) return child;
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
  if (pid > 0) child->pid_ = pid;
  return child;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_status_.has_value()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

uint16_t ChildProcess::WaitForPort(absl::Duration bound) {
  const absl::Time give_up = absl::Now() + bound;
  while (absl::Now() < give_up && !Exited()) {
    const std::string log = Log();
    const std::string marker = "discovery at http://127.0.0.1:";
    const size_t at = log.find(marker);
    if (at != std::string::npos) {
      const size_t start = at + marker.size();
      int port = 0;
      if (absl::SimpleAtoi(log.substr(start, log.find('/', start) - start), &port)) {
        port_ = static_cast<uint16_t>(port);
        return port_;
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  port_ = 0;
  return 0;
}

void ChildProcess::Signal(int signal_number) {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::WaitForExit(absl::Duration bound) {
  const absl::Time give_up = absl::Now() + bound;
  while (!Exited() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(20));
  return exit_status_;
}

std::string ChildProcess::Log() const {
  std::ifstream in(log_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ChildProcess::Exited() {
  if (exit_status_.has_value()) return true;
  if (pid_ <= 0) return true;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

}  // namespace thrombo::testing
