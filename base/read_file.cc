// Copyright 2026 The Thrombo Authors.
#include "base/read_file.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace thrombo::base {

absl::Status ReadFileInto(const std::string& path, std::string* text, size_t limit) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  const std::streamoff size = in.tellg();
  if (size < 0 || !in.seekg(0)) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  if (static_cast<size_t>(size) > limit) {
    return absl::InvalidArgumentError(
        absl::StrCat("document is ", size, " bytes, limit is ", limit));
  }
  text->resize(static_cast<size_t>(size));
  if (size > 0 && !in.read(text->data(), size)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  return absl::OkStatus();
}

}  // namespace thrombo::base
