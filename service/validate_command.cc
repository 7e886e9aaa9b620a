// Copyright 2026 The Thrombo Authors.
// The validate subcommand: file I/O around the FHIR parser and OperationOutcome.
#include "service/validate_command.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "fhir/json_parser.h"
#include "fhir/operation_outcome.h"

namespace thrombo::service {
namespace {

constexpr char kUsage[] = "usage: thrombo validate [--strict] FILE...\n";

bool IsNdjson(const std::string& path) {
  return absl::EndsWith(path, ".ndjson") || absl::EndsWith(path, ".jsonl");
}

int64_t CountResources(const fhir::r4::ContainedResource& resource) {
  int64_t count = 1;
  if (resource.has_bundle()) {
    for (const auto& entry : resource.bundle().entry()) count += entry.has_resource() ? 1 : 0;
  }
  return count;
}

}  // namespace

FileValidation ValidateFile(const std::string& path, const fhir::ParseOptions& options) {
  FileValidation result;
  result.path = path;
  const bool ndjson = IsNdjson(path);
  std::string contents;
  // NDJSON limits apply per line; bound the whole file too so memory stays predictable.
  const size_t limit = ndjson ? options.max_document_bytes * 64 : options.max_document_bytes;
  result.status = base::ReadFileInto(path, &contents, limit);
  if (!result.status.ok()) return result;
  if (ndjson) {
    result.status = fhir::ParseNdjson(contents, options, [&](int, fhir::ParsedResource parsed) {
      result.resources += CountResources(parsed.resource);
      result.skipped += parsed.skipped;
      return absl::OkStatus();
    });
    return result;
  }
  absl::StatusOr<fhir::ParsedResource> parsed = fhir::ParseResource(contents, options);
  if (!parsed.ok()) {
    result.status = parsed.status();
    return result;
  }
  result.resources = CountResources(parsed->resource);
  result.skipped = parsed->skipped;
  return result;
}

std::string FormatValidation(const FileValidation& validation) {
  if (validation.status.ok()) {
    return absl::StrCat("OK ", validation.path, " resources=", validation.resources,
                        " skipped=", validation.skipped, "\n");
  }
  absl::StatusOr<std::string> outcome =
      fhir::OperationOutcomeJson(fhir::ToOperationOutcome(validation.status));
  return absl::StrCat("ERROR ", validation.path, "\n",
                      outcome.ok() ? *outcome : std::string(validation.status.message()), "\n");
}

int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err) {
  fhir::ParseOptions options;
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    if (arg == "--strict") {
      options.strict = true;
    } else if (absl::StartsWith(arg, "-") && arg != "-") {
      err << "thrombo validate: unknown flag " << arg << "\n" << kUsage;
      return 2;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    err << kUsage;
    return 2;
  }
  bool all_ok = true;
  for (const std::string& file : files) {
    const FileValidation validation = ValidateFile(file, options);
    all_ok &= validation.status.ok();
    out << FormatValidation(validation);
  }
  return all_ok ? 0 : 1;
}

}  // namespace thrombo::service
