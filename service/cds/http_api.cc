// Copyright 2026 The Thrombo Authors.
#include "service/cds/http_api.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fhir/parse_issue.h"
#include "fhir/projection_reader.h"
#include "base/status_macros.h"
#include "base/string_compat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "service/cds/discovery.h"
#include "service/cds/feedback_json.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/response_json.h"

namespace thrombo::service {
namespace {

using http::Request;
using http::Response;

// The FHIR path an error names (carried as a payload by fhir::MakeFhirError); "" for errors
// that concern no element (authentication, storage, an unknown service).
std::string ErrorPathOf(const absl::Status& status) {
  return fhir::ErrorPath(status).value_or("");
}

// Blocks sized to the body: the parsed request takes a few times the JSON's bytes, so most
// calls fit in the first block or two. (The default starts at 256 bytes and stops growing at
// 8 KiB: dozens of blocks for a 40 KB request.)
google::protobuf::ArenaOptions ArenaOptionsForRequest(size_t body_bytes) {
  constexpr size_t kMinBlock = 16 * 1024;
  constexpr size_t kMaxBlock = 1024 * 1024;
  google::protobuf::ArenaOptions options;
  options.start_block_size = std::clamp(body_bytes * 4, kMinBlock, kMaxBlock);
  options.max_block_size = kMaxBlock;
  return options;
}

// The metrics the CDS routes add beside the transport's.
struct CdsMetrics {
  http::Counter* cards = nullptr;         // cards by recommendation action
  http::Counter* prefetch = nullptr;      // prefetch keys by how they were satisfied
  http::Counter* parse_errors = nullptr;  // request bodies rejected, by route
  http::Counter* deviations = nullptr;    // departures the tolerant hook path accepted, by kind
  http::Counter* reads = nullptr;           // hook bodies by the reader that produced them
  http::Counter* resources_read = nullptr;  // prefetch values and draftOrders, by reader path
};

absl::StatusOr<CdsMetrics> AddMetrics(http::MetricsRegistry* registry) {
  CdsMetrics m;
  ASSIGN_OR_RETURN(m.cards, registry->AddCounter("thrombo_recommendations_total",
                                                 "Hook calls by recommendation action",
                                                 {"action"}));
  ASSIGN_OR_RETURN(m.prefetch,
                   registry->AddCounter("thrombo_prefetch_total",
                                        "Prefetch keys by source (prefetch, null, fetched, "
                                        "missing)",
                                        {"source"}));
  ASSIGN_OR_RETURN(m.parse_errors, registry->AddCounter("thrombo_parse_errors_total",
                                                        "Request bodies rejected as malformed",
                                                        {"route"}));
  ASSIGN_OR_RETURN(m.deviations,
                   registry->AddCounter("thrombo_hook_deviations_total",
                                        "Departures from CDS Hooks 2.0 / FHIR R4 that hook calls "
                                        "were accepted with (object_for_array, missing_required, "
                                        "dropped_element, pre_1_0_user, ...)",
                                        {"kind"}));
  ASSIGN_OR_RETURN(m.reads,
                   registry->AddCounter("thrombo_hook_reads_total",
                                        "Hook request bodies by the reader that produced them: "
                                        "projection (only what the decision reads), or full "
                                        "(the reference reader, for invalid JSON, a limit, or "
                                        "what the projection refused)",
                                        {"reader"}));
  ASSIGN_OR_RETURN(m.resources_read,
                   registry->AddCounter("thrombo_hook_resources_read_total",
                                        "The request's resources (each prefetch value and "
                                        "context.draftOrders; a Bundle counts once, with its "
                                        "entries) the projection reader read, by path: direct "
                                        "(written straight into their protos) or handler (with "
                                        "something only the tolerant reader judges: a null, a "
                                        "duplicate, a value it drops or reshapes, ...)",
                                        {"path"}));
  return m;
}

// The index of a prefetch source's label in CountPrefetch: prefetch, null, fetched, missing.
size_t SourceIndex(PrefetchOutcome::Source source) {
  switch (source) {
    case PrefetchOutcome::Source::kPrefetch:
      return 0;
    case PrefetchOutcome::Source::kNull:
      return 1;
    case PrefetchOutcome::Source::kFetched:
      return 2;
    default:
      return 3;
  }
}

// The reason of a refusal without values from the request: quoted text and the id after
// "Patient/" are elided (the FHIR path, logged beside it, says where).
std::string RedactedReason(std::string_view message) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '"' || c == '\'') {
      if (!quoted) out.append("\"...\"");
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    out.push_back(c);
    if (absl::EndsWith(out, "Patient/")) {
      out.append("...");
      while (i + 1 < message.size() && message[i + 1] != ' ' && message[i + 1] != ',') ++i;
    }
  }
  return out;
}

// "a.b (3), c (1)": the deviation paths of one call, each once with its count.
std::string DeviationSummary(const std::vector<HookDeviation>& deviations) {
  std::vector<std::pair<std::string, int>> counted;
  for (const HookDeviation& d : deviations) {
    const std::string item = absl::StrCat(d.kind, " ", d.path);
    auto it = std::find_if(counted.begin(), counted.end(),
                           [&item](const auto& c) { return c.first == item; });
    if (it == counted.end()) {
      counted.emplace_back(item, 1);
    } else {
      ++it->second;
    }
  }
  std::string out;
  for (const auto& [item, count] : counted) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", item,
                    count > 1 ? absl::StrCat(" (x", count, ")") : "");
  }
  return out;
}

class Api final {
 public:
  Api(const HttpApiDeps& deps, const HttpApiOptions& options, CdsMetrics metrics,
      std::shared_ptr<const HookAudit> audit)
      : deps_(deps), options_(options), metrics_(metrics), audit_(std::move(audit)) {}

  // Verifies the bearer JWT for `path` when authentication is on.
  absl::Status Authenticate(const Request& request) const {
    if (deps_.verifier == nullptr) return absl::OkStatus();
    std::optional<std::string_view> header = request.headers.Get("Authorization");
    if (!header) return absl::UnauthenticatedError("missing Authorization: Bearer <JWT>");
    // One field only (RFC 9110 section 5.3): with two, a proxy that checked one and this
    // service that read the other would disagree about who is calling.
    if (request.headers.Count("Authorization") > 1) {
      return absl::UnauthenticatedError("more than one Authorization header");
    }
    return deps_.verifier->Verify(*header, absl::StrCat(options_.base_url, request.path))
        .status();
  }

  Response Discovery(const Request& request) const {
    if (absl::Status s = Authenticate(request); !s.ok()) return ErrorResponseFor(s);
    return http::JsonResponse(CdsServicesToJson(deps_.hooks->discovery()));
  }

  Response Hook(const Request& request) const {
    const std::string& service_id = request.path_params.at("id");
    if (absl::Status s = Authenticate(request); !s.ok()) return Refuse(service_id, s);
    if (auto rejected = http::RequireJsonContentType(request)) {
      LogRefusal(service_id, rejected->status, "the body is not declared application/json", "");
      return *std::move(rejected);
    }
    // One arena per call: the request's thousands of small messages come from a few blocks
    // and are freed together, instead of one malloc and one free each.
    google::protobuf::Arena arena(ArenaOptionsForRequest(request.body.size()));
    auto* parsed = google::protobuf::Arena::CreateMessage<v1::EvaluateHookRequest>(&arena);
    // Tolerant: real EHR clients send requests that are not strict R4 (fhir/json_sax_handler.h);
    // strict reading is `thrombo validate`'s job.
    fhir::ParseOptions options;
    options.tolerant = true;
    std::vector<HookDeviation> deviations;
    // Through the projection reader: only what the decision reads is built and judged; any
    // failure is answered by the full reader (hook_request_json.h).
    fhir::ProjectionStats read;
    // Lab results (most of a request) are read as views, not protos (fhir/lab_observation.h).
    fhir::LabObservationTable lab_observations;
    const absl::Status parsed_status =
        ParseHookRequestJsonProjected(request.body, options, parsed, &deviations, &read,
                                      request.body.readable_bytes(), &lab_observations);
    CountRead(read);
    if (!parsed_status.ok()) {
      metrics_.parse_errors->Increment({"/cds-services/{id}"});
      return Refuse(service_id, parsed_status);
    }
    parsed->set_service_id(service_id);
    absl::StatusOr<HookResult> result =
        deps_.hooks->Evaluate(*parsed, std::move(deviations), &lab_observations);
    if (!result.ok()) {
      if (audit_ != nullptr) audit_->RecordRefusal(*parsed, result.status());
      return Refuse(service_id, result.status());
    }
    CountDeviations(result->deviations);
    if (deps_.logger != nullptr &&
        (!result->deviations.empty() || !result->order_decision.empty())) {
      // Once per call, paths only: which client quirks were accepted, what they cost, and why
      // an order got the cards it got.
      deps_.logger->Info(
          "hook call answered",
          {{"service", service_id},
           {"deviations", DeviationSummary(result->deviations)},
           {"unknown_from_deviations", absl::StrJoin(result->costly_deviation_paths, "; ")},
           {"order_decision", result->order_decision},
           {"cards", static_cast<int64_t>(result->cards.size())}});
    }
    CountPrefetch(result->prefetch);
    metrics_.cards->Increment(ActionLabels(*result));
    std::string body;
    if (absl::Status s = AppendCdsResponseJson(result->cards, &body); !s.ok()) {
      return ErrorResponseFor(s);
    }
    if (audit_ != nullptr) audit_->RecordAnswer(*parsed, &*result);
    return http::JsonResponse(std::move(body));
  }

  // How the body was read: operators see how much of a client's traffic takes the slower paths
  // (messy FHIR goes through the tolerant handler, invalid JSON through the full reader).
  void CountRead(const fhir::ProjectionStats& read) const {
    static const http::LabelValues kProjection{"projection"};
    static const http::LabelValues kFull{"full"};
    static const http::LabelValues kDirect{"direct"};
    static const http::LabelValues kHandler{"handler"};
    metrics_.reads->Increment(read.fell_back ? kFull : kProjection);
    if (read.direct_resources > 0) {
      metrics_.resources_read->Increment(kDirect, static_cast<double>(read.direct_resources));
    }
    if (read.replayed_resources > 0) {
      metrics_.resources_read->Increment(kHandler, static_cast<double>(read.replayed_resources));
    }
  }

  // Logs a refused hook call (service, status, reason and FHIR path; never patient data) and
  // answers it.
  Response Refuse(const std::string& service_id, const absl::Status& status) const {
    LogRefusal(service_id, HttpStatusFor(status), RedactedReason(base::Std(status.message())),
               ErrorPathOf(status));
    return ErrorResponseFor(status);
  }

  void LogRefusal(const std::string& service_id, int status, const std::string& reason,
                  const std::string& path) const {
    if (deps_.logger == nullptr) return;
    deps_.logger->Warning("hook call refused", {{"service", service_id},
                                                {"status", static_cast<int64_t>(status)},
                                                {"reason", reason},
                                                {"path", path}});
  }

  Response Feedback(const Request& request) const {
    if (absl::Status s = Authenticate(request); !s.ok()) return ErrorResponseFor(s);
    if (auto rejected = http::RequireJsonContentType(request)) return *std::move(rejected);
    const std::string& id = request.path_params.at("id");
    if (FindService(deps_.hooks->discovery(), id) == nullptr) {
      return ErrorResponseFor(absl::NotFoundError(absl::StrCat("no CDS service '", id, "'")));
    }
    absl::StatusOr<std::vector<store::FeedbackRecord>> records =
        ParseFeedbackJson(request.body, id);
    if (!records.ok()) {
      metrics_.parse_errors->Increment({"/cds-services/{id}/feedback"});
      return ErrorResponseFor(records.status());
    }
    if (deps_.store == nullptr) {
      return ErrorResponseFor(absl::UnavailableError("feedback storage is not configured"));
    }
    // Answered only once stored durably: the store commits with synchronous=FULL.
    if (absl::Status s = deps_.store->AddFeedbackBatch(*records); !s.ok()) {
      return StoreErrorResponse(s);
    }
    return http::JsonResponse(absl::StrCat("{\"stored\":", records->size(), "}"));
  }

 private:
  // The store's messages name the database file and quote SQLite: they are for the operator's
  // log. The client learns only what it can act on (retry later, or not at all).
  Response StoreErrorResponse(const absl::Status& status) const {
    if (deps_.logger != nullptr) {
      deps_.logger->Error("feedback write failed",
                          {{"code", absl::StatusCodeToString(status.code())},
                           {"detail", base::Std(status.message())}});
    }
    switch (status.code()) {
      case absl::StatusCode::kUnavailable:
        return ErrorResponseFor(absl::UnavailableError(
            "feedback storage is unavailable; the feedback was not stored: retry later"));
      case absl::StatusCode::kInvalidArgument:
        return ErrorResponseFor(
            absl::InvalidArgumentError("feedback storage refused the feedback"));
      default:
        return ErrorResponseFor(absl::InternalError("feedback could not be stored"));
    }
  }

  // Metrics with label values made once, not per call: a counter's series is looked up by a
  // vector of strings, which built per increment cost an allocation each.
  // The label is ActionName's.
  static const http::LabelValues& ActionLabels(const HookResult& result) {
    if (!result.assessed) {
      static const auto* const kNotAssessed =
          new http::LabelValues{std::string(ActionName(result))};
      return *kNotAssessed;
    }
    static const auto* const kLabels = [] {
      auto* labels = new std::vector<http::LabelValues>;
      const google::protobuf::EnumDescriptor* actions = v1::Recommendation::Action_descriptor();
      for (int i = 0; i < actions->value_count(); ++i) {
        const int number = actions->value(i)->number();
        if (number < 0) continue;
        if (static_cast<size_t>(number) >= labels->size()) labels->resize(number + 1);
        (*labels)[number] = {actions->value(i)->name()};
      }
      return labels;
    }();
    const size_t number = static_cast<size_t>(result.assessment().recommendation().action());
    if (number < kLabels->size() && !(*kLabels)[number].empty()) return (*kLabels)[number];
    static const auto* const kUnknown = new http::LabelValues{"UNKNOWN"};
    return *kUnknown;
  }

  // One increment per prefetch source, not per key (a call has seven keys, nearly all answered
  // from the request's prefetch).
  void CountPrefetch(const std::vector<PrefetchOutcome>& outcomes) const {
    static const auto* const kSources = new std::array<http::LabelValues, 4>{
        http::LabelValues{"prefetch"}, http::LabelValues{"null"}, http::LabelValues{"fetched"},
        http::LabelValues{"missing"}};
    std::array<int, 4> counts{};
    for (const PrefetchOutcome& p : outcomes) ++counts[SourceIndex(p.source)];
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > 0) metrics_.prefetch->Increment((*kSources)[i], counts[i]);
    }
  }

  // Deviations by kind, one increment per kind.
  void CountDeviations(const std::vector<HookDeviation>& deviations) const {
    if (deviations.empty()) return;
    std::vector<std::pair<std::string_view, int>> counts;
    for (const HookDeviation& d : deviations) {
      auto it = std::find_if(counts.begin(), counts.end(),
                             [&d](const auto& c) { return c.first == d.kind; });
      if (it == counts.end()) {
        counts.emplace_back(d.kind, 1);
      } else {
        ++it->second;
      }
    }
    for (const auto& [kind, count] : counts) {
      metrics_.deviations->Increment({std::string(kind)}, count);
    }
  }

  HttpApiDeps deps_;
  HttpApiOptions options_;
  CdsMetrics metrics_;
  std::shared_ptr<const HookAudit> audit_;  // deps_.audit, or one made over deps_.store
};

}  // namespace

http::Response ErrorResponseFor(const absl::Status& status) {
  const int code = HttpStatusFor(status);
  // Internal details stay in the logs; the client learns that it failed.
  if (code == 500) return http::ErrorResponse(500, "internal error");
  // The FHIR IssueType the error carries (required, structure, value...), else the one of the
  // HTTP status (login, forbidden, transient...).
  const std::optional<fhir::IssueType> issue_type = fhir::ErrorIssueType(status);
  http::Response response =
      http::ErrorResponse(code, base::Std(status.message()), ErrorPathOf(status),
                          issue_type.has_value() ? fhir::IssueTypeCode(*issue_type) : "");
  // RFC 6750 section 3: a 401 names the scheme the client should use.
  if (code == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

absl::StatusOr<http::Router> BuildHttpApi(const HttpApiDeps& deps,
                                          const HttpApiOptions& options) {
  ASSIGN_OR_RETURN(CdsMetrics metrics, AddMetrics(deps.registry));
  std::shared_ptr<const HookAudit> audit(deps.audit, [](const HookAudit*) {});  // not owned
  if (deps.audit == nullptr && deps.store != nullptr) {
    ASSIGN_OR_RETURN(audit, HookAudit::Create(deps.store, deps.registry, deps.logger));
  }
  auto api = std::make_shared<const Api>(deps, options, metrics, std::move(audit));
  http::Router router;
  RETURN_IF_ERROR(router.Handle("GET", "/cds-services",
                                [api](const Request& r) { return api->Discovery(r); }));
  RETURN_IF_ERROR(router.Handle("POST", "/cds-services/{id}",
                                [api](const Request& r) { return api->Hook(r); }));
  RETURN_IF_ERROR(router.Handle("POST", "/cds-services/{id}/feedback",
                                [api](const Request& r) { return api->Feedback(r); }));
  RETURN_IF_ERROR(router.Handle("GET", "/healthz", [](const Request&) {
    return http::JsonResponse("{\"status\":\"ok\"}");
  }));
  // Readiness: the process answers, whatever else the caller checks (deps.ready), and the store
  // answers a query. A load balancer takes a replica whose database is unreachable out of
  // rotation for feedback; liveness (/healthz) stays up so it is not restarted for it.
  std::function<bool()> ready = deps.ready;
  store::FeedbackStore* store = deps.store;
  RETURN_IF_ERROR(router.Handle("GET", "/readyz", [ready, store](const Request&) {
    if (ready && !ready()) return http::ErrorResponse(503, "not ready");
    if (store != nullptr && !store->CheckReady().ok()) {
      // No detail: the store's message names the database; the log of the failing calls has it.
      return http::ErrorResponse(503, "not ready: the feedback store is unavailable");
    }
    return http::JsonResponse("{\"status\":\"ready\"}");
  }));
  http::MetricsRegistry* registry = deps.registry;
  RETURN_IF_ERROR(router.Handle("GET", "/metrics", [registry](const Request&) {
    http::Response response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = registry->RenderText();
    return response;
  }));
  return router;
}

}  // namespace thrombo::service
