// Copyright 2026 The Thrombo Authors.
#include "tests/testing/shared_data.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

namespace thrombo::testing {

namespace fs = std::filesystem;

fs::path SharedDataDir() {
  if (const char* env = std::getenv("THROMBO_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return {};
  std::error_code error;
  const fs::path readme = fs::canonical(fs::path(srcdir) / workspace / "README.md", error);
  if (error) return {};
  return readme.parent_path().parent_path() / "shared" / "data";
}

bool SharedDataRequired() {
  const char* env = std::getenv("THROMBO_REQUIRE_SHARED_DATA");
  return env != nullptr && *env != '\0' && std::string_view(env) != "0";
}

bool ReadSharedFile(const std::string& relative_path, std::string* contents) {
  const fs::path dir = SharedDataDir();
  if (dir.empty()) return false;
  std::ifstream in(dir / relative_path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *contents = text.str();
  return true;
}

}  // namespace thrombo::testing
