// Copyright 2026 The Thrombo Authors.
#include "service/synth/bulk_export.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "fhir/json_printer.h"
#include "google/protobuf/descriptor.h"
#include "proto/fhir/r4/resources.pb.h"
#include "service/synth/bundle_builder.h"

namespace thrombo::synth {
namespace {

// The resource type of a ContainedResource: the message name of its set oneof member.
std::string TypeOf(const fhir::r4::ContainedResource& resource) {
  const google::protobuf::Reflection* reflection = resource.GetReflection();
  const google::protobuf::OneofDescriptor* oneof =
      resource.GetDescriptor()->FindOneofByName("resource");
  const google::protobuf::FieldDescriptor* field =
      reflection->GetOneofFieldDescriptor(resource, oneof);
  return field == nullptr ? "" : field->message_type()->name();
}

// One type's output: the current file and how many lines each file got.
class TypeWriter {
 public:
  TypeWriter(std::string dir, std::string type, const BulkExportOptions& options)
      : dir_(std::move(dir)), type_(std::move(type)), options_(options) {}
  ~TypeWriter() { Close().IgnoreError(); }

  absl::Status Write(const std::string& line) {
    if (file_ == nullptr || counts_.back() >= options_.resources_per_file) {
      if (absl::Status closed = Close(); !closed.ok()) return closed;
      counts_.push_back(0);
      names_.push_back(absl::StrFormat("%s.%03d.ndjson%s", type_, names_.size() + 1,
                                       options_.gzip ? ".gz" : ""));
      const std::string path = absl::StrCat(dir_, "/", names_.back());
      if (options_.gzip) {
        file_ = popen(absl::StrCat("gzip -1 -c > '", path, "'").c_str(), "w");
      } else {
        file_ = std::fopen(path.c_str(), "wb");
      }
      if (file_ == nullptr) return absl::UnavailableError(absl::StrCat("cannot write ", path));
    }
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
        std::fputc('\n', file_) == EOF) {
      return absl::UnavailableError(absl::StrCat("write failed: ", dir_, "/", names_.back()));
    }
    ++counts_.back();
    return absl::OkStatus();
  }

  absl::Status Close() {
    if (file_ == nullptr) return absl::OkStatus();
    const int rc = options_.gzip ? pclose(file_) : std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) {
      return absl::UnavailableError(absl::StrCat("write failed: ", dir_, "/", names_.back()));
    }
    return absl::OkStatus();
  }

  void AppendManifest(std::string* out, bool* first) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      absl::StrAppend(out, *first ? "" : ",\n", "    {\"type\": \"", type_, "\", \"url\": \"",
                      names_[i], "\", \"count\": ", counts_[i], "}");
      *first = false;
    }
  }

 private:
  std::string dir_;
  std::string type_;
  const BulkExportOptions& options_;
  std::FILE* file_ = nullptr;
  std::vector<std::string> names_;
  std::vector<int64_t> counts_;
};

}  // namespace

absl::Status WriteBulkExport(int n, uint64_t seed, absl::Time now, const std::string& out_dir,
                             const BulkExportOptions& options) {
  if (n <= 0) return absl::InvalidArgumentError(absl::StrCat("patients=", n, ": must be > 0"));
  if (options.gzip && out_dir.find('\'') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--out=", out_dir, ": a single quote cannot be passed to gzip"));
  }
  std::map<std::string, std::unique_ptr<TypeWriter>> writers;  // by type, sorted for the manifest
  absl::Status status;
  ForEachRandomPatient(n, seed, now, options.rates, [&](int, Scenario scenario) {
    if (!status.ok()) return;
    absl::StatusOr<fhir::r4::Bundle> bundle = BuildBundle(scenario);
    if (!bundle.ok()) {
      status = bundle.status();
      return;
    }
    // The Bundle's urn:uuid references, as a server's export writes them: "Type/id". Quoted on
    // both sides so one id can never rewrite part of another string.
    std::vector<std::pair<std::string, std::string>> references;
    for (const fhir::r4::Bundle::Entry& entry : bundle->entry()) {
      if (entry.full_url().empty()) continue;
      const std::string type = TypeOf(entry.resource());
      const std::string id =
          std::string(absl::string_view(entry.full_url()).substr(entry.full_url().rfind(':') + 1));
      references.emplace_back(absl::StrCat("\"", entry.full_url(), "\""),
                              absl::StrCat("\"", type, "/", id, "\""));
    }
    for (const fhir::r4::Bundle::Entry& entry : bundle->entry()) {
      const std::string type = TypeOf(entry.resource());
      absl::StatusOr<std::string> json = fhir::PrintResource(entry.resource());
      if (!json.ok()) {
        status = json.status();
        return;
      }
      std::unique_ptr<TypeWriter>& writer = writers[type];
      if (writer == nullptr) writer = std::make_unique<TypeWriter>(out_dir, type, options);
      status = writer->Write(absl::StrReplaceAll(*json, references));
      if (!status.ok()) return;
    }
  });
  if (!status.ok()) return status;
  std::string manifest = absl::StrCat(
      "{\n  \"transactionTime\": \"", absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()),
      "\",\n  \"request\": \"[base]/$export\",\n  \"requiresAccessToken\": false,\n"
      "  \"output\": [\n");
  bool first = true;
  for (auto& [type, writer] : writers) {
    if (absl::Status closed = writer->Close(); !closed.ok()) return closed;
    writer->AppendManifest(&manifest, &first);
  }
  absl::StrAppend(&manifest, "\n  ],\n  \"error\": []\n}\n");
  const std::string path = absl::StrCat(out_dir, "/manifest.json");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  const bool written = std::fwrite(manifest.data(), 1, manifest.size(), file) == manifest.size();
  if (std::fclose(file) != 0 || !written) {
    return absl::UnavailableError(absl::StrCat("write failed: ", path));
  }
  return absl::OkStatus();
}

}  // namespace thrombo::synth
