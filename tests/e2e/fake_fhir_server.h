// Copyright 2026 The Thrombo Authors.
// An in-test FHIR server on 127.0.0.1 for fetch-on-miss, with knobs that make it misbehave.
#ifndef THROMBO_TESTS_E2E_FAKE_FHIR_SERVER_H_
#define THROMBO_TESTS_E2E_FAKE_FHIR_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/http/server.h"

namespace thrombo::e2e {

namespace http = ::thrombo::service::http;

// How the server answers for one resource type (reads and searches alike).
enum class FhirFault {
  kNone,              // the configured data
  kServerError,       // 500 with an OperationOutcome
  kSlow,              // the data, after slow_delay (set it past the service's fetch budget)
  kGarbage,           // 200 with a body that is not JSON
  kOperationOutcome,  // 200 with an OperationOutcome instead of data
  kPaginate,          // searches: one entry per page, chained by link[next]
  kPaginateThenFail,  // as kPaginate, but every page after the first answers 503
};

// Serves GET /fhir/<Type>/<id> (reads) and GET /fhir/<Type>?... (searches, any parameters).
// A search for a type with no configured data answers an empty searchset Bundle; a read of an
// unknown resource answers 404 (or, with serve_any_patient, a bare Patient with that id).
// Thread-safe: the configuration may change while the server runs.
class FakeFhirServer final {
 public:
  static absl::StatusOr<std::unique_ptr<FakeFhirServer>> Start();
  ~FakeFhirServer();

  // e.g. "http://127.0.0.1:40123/fhir": what a request's fhirServer should say.
  std::string base_url() const;

  void SetRead(const std::string& type, const std::string& id, std::string resource_json);
  // The matches a search of `type` returns, as resource JSON texts.
  void SetSearch(const std::string& type, std::vector<std::string> resources_json);
  void SetFault(const std::string& type, FhirFault fault);
  void set_slow_delay(absl::Duration delay);
  void set_serve_any_patient(bool on);

  // Requests received for `type` (all pages counted).
  int Hits(const std::string& type) const;
  // Requests received, all types.
  int TotalHits() const;
  // The URL of page `page` (1-based) of a paginated search of `type`, as its next links say.
  std::string PageUrl(const std::string& type, int page) const;
  // The Authorization header of every request received, "" where none was sent.
  std::vector<std::string> Authorizations() const;

  // Stops answering: later fetches get "connection refused".
  void Stop();

 private:
  FakeFhirServer() = default;
  http::Response Answer(const http::Request& request);

  mutable absl::Mutex mu_;
  std::map<std::string, std::string> reads_ ABSL_GUARDED_BY(mu_);  // "Type/id" -> JSON
  std::map<std::string, std::vector<std::string>> searches_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, FhirFault> faults_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> hits_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> authorizations_ ABSL_GUARDED_BY(mu_);
  absl::Duration slow_delay_ ABSL_GUARDED_BY(mu_) = absl::Seconds(2);
  bool serve_any_patient_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
};

}  // namespace thrombo::e2e

#endif  // THROMBO_TESTS_E2E_FAKE_FHIR_SERVER_H_
