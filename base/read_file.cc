// Copyright 2026 The Thrombo Authors.
#include "base/read_file.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace thrombo::base {
namespace {

// What a stream without a size gives at a time.
constexpr size_t kChunkBytes = 64 * 1024;

// The rest of `in`, read a chunk at a time: for a pipe (`thrombo validate <(...)`,
// /dev/stdin), which cannot tell its size, or a file that reports none (/proc).
absl::Status ReadToEnd(std::ifstream& in, const std::string& path, std::string* text,
                       size_t limit) {
  text->clear();
  for (;;) {
    const size_t used = text->size();
    text->resize(used + kChunkBytes);
    in.read(text->data() + used, kChunkBytes);
    text->resize(used + static_cast<size_t>(in.gcount()));
    if (text->size() > limit) {
      return absl::InvalidArgumentError(
          absl::StrCat("document is over ", limit, " bytes, limit is ", limit));
    }
    if (in.eof()) return absl::OkStatus();
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
}

}  // namespace

absl::Status ReadFileInto(const std::string& path, std::string* text, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size <= 0 || !in.seekg(0)) {  // no size to go by
    in.clear();
    return ReadToEnd(in, path, text, limit);
  }
  if (static_cast<size_t>(size) > limit) {
    return absl::InvalidArgumentError(
        absl::StrCat("document is ", size, " bytes, limit is ", limit));
  }
  text->resize(static_cast<size_t>(size));
  if (!in.read(text->data(), size)) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path, size_t limit) {
  std::string text;
  if (absl::Status status = ReadFileInto(path, &text, limit); !status.ok()) return status;
  return text;
}

}  // namespace thrombo::base
