// Copyright 2026 The Thrombo Authors.
// Maps (method, path) to handlers; unknown paths get 404 and wrong methods 405 with Allow.
#ifndef THROMBO_SERVICE_HTTP_ROUTER_H_
#define THROMBO_SERVICE_HTTP_ROUTER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "service/http/message.h"

namespace thrombo::service::http {

// A route table. Patterns are absolute paths split on '/'; a segment written "{name}" matches
// exactly one non-empty segment and is passed to the handler as request.path_params["name"];
// every other segment matches literally (case-sensitive). A path that matches several patterns
// uses the ones with the fewest "{...}" segments, so "/cds-services/discovery-info" may be
// given its own route beside "/cds-services/{id}". There is no trailing-slash folding.
//
// Thread safety: add routes before the server starts; Match and Dispatch are const and may
// then run concurrently.
class Router final {
 public:
  // Registers `handler` for `method` (e.g. "GET") on `pattern` (e.g. "/cds-services/{id}").
  // Errors: InvalidArgument for an empty method or a pattern that does not start with '/',
  // has an empty or half-braced segment, or repeats a parameter name; AlreadyExists when the
  // same method and pattern are registered twice.
  absl::Status Handle(std::string_view method, std::string_view pattern, Handler handler);

  struct Match {
    std::string route;                 // the pattern as registered
    std::vector<std::string> methods;  // methods registered for it, in registration order
  };
  // The route `path` falls under, or nullopt when no pattern matches (a 404).
  std::optional<Match> MatchPath(std::string_view path) const;

  // Runs the handler for request.method on request.path after filling request->path_params.
  // Answers itself with: 404 for an unknown path; 204 with Allow for OPTIONS on a known path
  // that has no OPTIONS handler; 405 with an Allow header (the route's methods plus OPTIONS)
  // for any other method. Error responses carry an OperationOutcome. `route` (optional)
  // receives the matched pattern, or "" for a 404. A handler exception gives a 500.
  Response Dispatch(Request* request, std::string* route = nullptr) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" kept as written
    int parameter_count = 0;
    Handler handler;
  };
  // Routes matching `path` with the fewest parameters, in registration order.
  std::vector<const Route*> Candidates(std::string_view path) const;

  std::vector<Route> routes_;
};

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_ROUTER_H_
