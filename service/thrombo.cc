// Copyright 2026 The Thrombo Authors.
// main() of the `thrombo` command-line tool: `thrombo <command> [flags] args`. Every flag is
// defined here (libraries never read flags); main parses them once, builds the command's
// options struct and dispatches through one table.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/read_file.h"
#include "risk/engine.h"
#include "risk/policy.h"
#include "service/cli/assess_command.h"
#include "service/cli/feedback_command.h"
#include "service/cli/scan_command.h"
#include "service/cli/serve_command.h"
#include "service/http/endpoints.h"
#include "service/cli/synth_command.h"
#include "service/validate_command.h"

// assess
ABSL_FLAG(std::string, format, "cds-hooks",
          "assess output: cds-hooks (the CDS Hooks response), assessment (JSON) or explain; "
          "synth output: bundles (one Bundle per patient, the default) or bulk (an $export "
          "folder of NDJSON files)");
ABSL_FLAG(std::string, now, "", "evaluation time, RFC 3339 (default: the current time)");
ABSL_FLAG(std::string, patient, "", "patient id, when a Bundle holds several patients");
ABSL_FLAG(std::string, policy, "", "policy textproto (default: the embedded policy v1)");
// serve
ABSL_FLAG(std::string, listen, "127.0.0.1", "address to listen on (0.0.0.0 in a container)");
ABSL_FLAG(int, http_port, thrombo::service::http::kDefaultHttpPort,
          "CDS Hooks HTTP(S) port");
ABSL_FLAG(int, grpc_port, thrombo::service::http::kDefaultGrpcPort,
          "gRPC port (0 disables gRPC)");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain: serve HTTPS and gRPC over TLS 1.2+ (reloaded on SIGHUP)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, db, "thrombo.sqlite",
          "feedback, audit and used-JWT store: a SQLite file, or a PostgreSQL connection string "
          "(postgresql://... or host=... dbname=...) for replicas sharing one database");
ABSL_FLAG(int, db_pool_size, 8, "PostgreSQL connections per process (--db=postgresql://...)");
ABSL_FLAG(std::string, base_url, "", "public base URL, the JWT audience (default http://localhost:PORT)");
ABSL_FLAG(std::string, jwt_issuers_file, "", "JSON list of trusted JWT issuers and their keys");
ABSL_FLAG(std::vector<std::string>, jwt_algorithms, std::vector<std::string>({"ES384", "RS384"}),
          "accepted JWS algorithms");
ABSL_FLAG(bool, allow_unauthenticated, false,
          "serve without JWT authentication (local demos only; logged as a warning)");
ABSL_FLAG(std::vector<std::string>, cors_origins, {}, "browser origins allowed by CORS");
ABSL_FLAG(bool, allow_http_fhir_server, false, "allow fetch-on-miss from a plain-http fhirServer");
ABSL_FLAG(int, threads, 0, "serve: HTTP I/O threads; scan: worker threads (0: one per core)");
ABSL_FLAG(int, log_flush_ms, 100,
          "serve: info log lines are written in batches, at most this many ms after they are "
          "logged (0: each line at once); warnings and errors are written at once");
ABSL_FLAG(int64_t, max_body_bytes, 16 << 20, "largest accepted request body");
// synth
ABSL_FLAG(int, patients, 100, "synth: number of patients");
ABSL_FLAG(uint64_t, seed, 1, "synth: random seed (same seed, same bundles)");
ABSL_FLAG(std::string, out, "", "synth, scan: output directory");
ABSL_FLAG(bool, gzip, false, "synth --format=bulk: gzip each NDJSON file (via the gzip command)");
ABSL_FLAG(int64_t, bulk_file_resources, 200000, "synth --format=bulk: lines per NDJSON file");
// scan
ABSL_FLAG(std::string, bulk, "", "scan: the Bulk Data export folder (*.ndjson, *.ndjson.gz)");
ABSL_FLAG(std::string, shard, "0/1", "scan: I/N, scan the patients whose id hashes to shard I");
ABSL_FLAG(std::string, tmp_dir, "", "scan: folder for the bucket files (default: under --out)");
ABSL_FLAG(bool, clean, false, "synth: clean records only, without the messy EHR representations");
// feedback
ABSL_FLAG(bool, audit, false, "feedback export: print the audit rows instead of feedback");
// validate
ABSL_FLAG(bool, strict, false, "validate: unknown elements and resource types are errors");

namespace {

using Args = std::vector<std::string>;

absl::StatusOr<absl::Time> EvaluationTime() {
  const std::string now = absl::GetFlag(FLAGS_now);
  if (now.empty()) return absl::Now();
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, now, &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("--now=", now, ": ", error));
  }
  return time;
}

int Fail(const absl::Status& status, const char* command) {
  std::cerr << "thrombo " << command << ": " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

int Assess(const Args& args) {
  if (args.size() != 1) {
    std::cerr << "usage: thrombo assess [--format=cds-hooks|assessment|explain] "
                 "[--now=RFC3339] FILE\n";
    return 2;
  }
  thrombo::service::AssessCommandOptions options;
  absl::StatusOr<thrombo::service::AssessFormat> format =
      thrombo::service::ParseAssessFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return Fail(format.status(), "assess");
  options.format = *format;
  absl::StatusOr<absl::Time> now = EvaluationTime();
  if (!now.ok()) return Fail(now.status(), "assess");
  options.now = *now;
  options.patient_id = absl::GetFlag(FLAGS_patient);
  std::string text;
  if (absl::Status read = thrombo::base::ReadFileInto(args[0], &text); !read.ok()) {
    return Fail(read, "assess");
  }
  std::unique_ptr<thrombo::risk::Engine> custom;
  const thrombo::risk::Engine* engine = &thrombo::risk::Engine::Default();
  if (!absl::GetFlag(FLAGS_policy).empty()) {
    absl::StatusOr<thrombo::v1::Policy> policy =
        thrombo::risk::LoadPolicyFromFile(absl::GetFlag(FLAGS_policy));
    if (!policy.ok()) return Fail(policy.status(), "assess");
    absl::StatusOr<std::unique_ptr<thrombo::risk::Engine>> made =
        thrombo::risk::Engine::Create(*policy);
    if (!made.ok()) return Fail(made.status(), "assess");
    custom = *std::move(made);
    engine = custom.get();
  }
  absl::Status status = thrombo::service::RunAssess(text, *engine, options, std::cout);
  return status.ok() ? 0 : Fail(status, "assess");
}

int Serve(const Args& args) {
  if (!args.empty()) {
    std::cerr << "usage: thrombo serve [flags]  (see thrombo --help)\n";
    return 2;
  }
  thrombo::service::ServeOptions o;
  o.listen_address = absl::GetFlag(FLAGS_listen);
  o.http_port = static_cast<uint16_t>(absl::GetFlag(FLAGS_http_port));
  o.grpc_port = static_cast<uint16_t>(absl::GetFlag(FLAGS_grpc_port));
  o.policy_path = absl::GetFlag(FLAGS_policy);
  o.db_path = absl::GetFlag(FLAGS_db);
  o.db_pool_size = absl::GetFlag(FLAGS_db_pool_size);
  o.base_url = absl::GetFlag(FLAGS_base_url);
  o.jwt_issuers_file = absl::GetFlag(FLAGS_jwt_issuers_file);
  o.jwt_algorithms = absl::GetFlag(FLAGS_jwt_algorithms);
  o.allow_unauthenticated = absl::GetFlag(FLAGS_allow_unauthenticated);
  o.cors_origins = absl::GetFlag(FLAGS_cors_origins);
  o.allow_http_fhir_server = absl::GetFlag(FLAGS_allow_http_fhir_server);
  o.threads = absl::GetFlag(FLAGS_threads);
  o.log_flush_ms = absl::GetFlag(FLAGS_log_flush_ms);
  o.max_body_bytes = absl::GetFlag(FLAGS_max_body_bytes);
  o.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  o.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  return thrombo::service::RunServe(o);
}

int Synth(const Args& args) {
  if (!args.empty() || absl::GetFlag(FLAGS_out).empty()) {
    std::cerr << "usage: thrombo synth --patients=N --seed=S --out=DIR [--clean] "
                 "[--format=bundles|bulk [--gzip] [--bulk_file_resources=N]]\n";
    return 2;
  }
  absl::StatusOr<absl::Time> now = EvaluationTime();
  if (!now.ok()) return Fail(now.status(), "synth");
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format == "bulk") {
    absl::Status status = thrombo::service::RunSynthBulk(
        absl::GetFlag(FLAGS_patients), absl::GetFlag(FLAGS_seed), *now, absl::GetFlag(FLAGS_out),
        absl::GetFlag(FLAGS_clean), absl::GetFlag(FLAGS_bulk_file_resources),
        absl::GetFlag(FLAGS_gzip));
    return status.ok() ? 0 : Fail(status, "synth");
  }
  // The flag's default is assess's; for synth anything but "bulk" means Bundles.
  if (format != "bundles" && format != "cds-hooks") {
    return Fail(absl::InvalidArgumentError(absl::StrCat("--format=", format,
                                                        ": expected bundles or bulk")),
                "synth");
  }
  absl::Status status = thrombo::service::RunSynth(
      absl::GetFlag(FLAGS_patients), absl::GetFlag(FLAGS_seed), *now, absl::GetFlag(FLAGS_out),
      absl::GetFlag(FLAGS_clean));
  return status.ok() ? 0 : Fail(status, "synth");
}

int Scan(const Args& args) {
  if (absl::GetFlag(FLAGS_out).empty() || (args.empty() && absl::GetFlag(FLAGS_bulk).empty())) {
    std::cerr << "usage: thrombo scan --bulk=DIR --out=DIR [--now=RFC3339] [--shard=I/N] "
                 "[--threads=K] [--tmp_dir=DIR]\n"
                 "       thrombo scan merge --out=DIR SHARD_OUT_DIR...\n";
    return 2;
  }
  absl::StatusOr<absl::Time> now = EvaluationTime();
  if (!now.ok()) return Fail(now.status(), "scan");
  thrombo::service::ScanCommandOptions options;
  options.bulk_dir = absl::GetFlag(FLAGS_bulk);
  options.out_dir = absl::GetFlag(FLAGS_out);
  options.shard = absl::GetFlag(FLAGS_shard);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.tmp_dir = absl::GetFlag(FLAGS_tmp_dir);
  options.now = *now;
  options.progress = isatty(STDERR_FILENO) != 0;  // a progress line on a terminal only
  std::unique_ptr<thrombo::risk::Engine> custom;
  const thrombo::risk::Engine* engine = &thrombo::risk::Engine::Default();
  if (!absl::GetFlag(FLAGS_policy).empty()) {
    absl::StatusOr<thrombo::v1::Policy> policy =
        thrombo::risk::LoadPolicyFromFile(absl::GetFlag(FLAGS_policy));
    if (!policy.ok()) return Fail(policy.status(), "scan");
    absl::StatusOr<std::unique_ptr<thrombo::risk::Engine>> made =
        thrombo::risk::Engine::Create(*policy);
    if (!made.ok()) return Fail(made.status(), "scan");
    custom = *std::move(made);
    engine = custom.get();
  }
  absl::Status status = thrombo::service::RunScanCommand(args, options, *engine);
  return status.ok() ? 0 : Fail(status, "scan");
}

int Feedback(const Args& args) {
  if (args.size() != 1 || args[0] != "export") {
    std::cerr << "usage: thrombo feedback export [--db=FILE or postgresql://...] [--audit]\n";
    return 2;
  }
  absl::Status status = thrombo::service::ExportFeedback(absl::GetFlag(FLAGS_db),
                                                         absl::GetFlag(FLAGS_audit), std::cout);
  return status.ok() ? 0 : Fail(status, "feedback");
}

int Validate(const Args& args) {
  // The validate library reads its one option from its arguments.
  Args with_options = args;
  if (absl::GetFlag(FLAGS_strict)) with_options.insert(with_options.begin(), "--strict");
  return thrombo::service::RunValidateCommand(with_options, std::cout, std::cerr);
}

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

constexpr Command kCommands[] = {
    {"serve", "serve CDS Hooks (HTTP) and gRPC", &Serve},
    {"assess", "assess a FHIR Bundle or a CDS Hooks request file", &Assess},
    {"validate", "check FHIR R4 JSON files (resource, Bundle or NDJSON)", &Validate},
    {"synth", "write reproducible synthetic patient bundles (or a Bulk Data export)", &Synth},
    {"scan", "find IMiD patients lacking VTE prophylaxis in a Bulk Data export", &Scan},
    {"feedback", "export stored card feedback (or audit rows) as JSON lines", &Feedback},
};

std::string Usage() {
  std::string usage = "usage: thrombo <command> [flags] args\n\ncommands:\n";
  for (const Command& command : kCommands) {
    absl::StrAppend(&usage, "  ", command.name, "\t", command.summary, "\n");
  }
  return usage;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(Usage());
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << Usage();
    return 2;
  }
  const std::string name = positional[1];
  if (name == "help") {
    std::cout << Usage();
    return 0;
  }
  const Args args(positional.begin() + 2, positional.end());
  for (const Command& command : kCommands) {
    if (name == command.name) return command.run(args);
  }
  std::cerr << "thrombo: unknown command \"" << name << "\"\n" << Usage();
  return 2;
}
