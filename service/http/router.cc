// Copyright 2026 The Thrombo Authors.
// Segment-by-segment route matching.
#include "service/http/router.h"

#include <exception>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/string_compat.h"

namespace thrombo::service::http {
namespace {

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  path.remove_prefix(1);  // callers checked the leading '/'
  std::vector<std::string_view> segments;
  for (absl::string_view segment : absl::StrSplit(base::Absl(path), '/')) {
    segments.push_back(base::Std(segment));
  }
  return segments;
}

// Fills `params` when `segments` (a pattern) matches `path_segments`.
bool SegmentsMatch(const std::vector<std::string>& segments,
                   const std::vector<std::string_view>& path_segments,
                   absl::flat_hash_map<std::string, std::string>* params) {
  if (segments.size() != path_segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (IsParameter(segments[i])) {
      if (path_segments[i].empty()) return false;
      if (params != nullptr) {
        (*params)[segments[i].substr(1, segments[i].size() - 2)] = std::string(path_segments[i]);
      }
    } else if (segments[i] != path_segments[i]) {
      return false;
    }
  }
  return true;
}

Response RunHandler(const Handler& handler, const Request& request) {
  // Handlers are our own code and should not throw, but an exception escaping onto an I/O
  // thread would end the process; one request failing is the better outcome.
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return ErrorResponse(500, absl::StrCat("handler failed: ", e.what()));
  } catch (...) {
    return ErrorResponse(500, "handler failed");
  }
}

}  // namespace

absl::Status Router::Handle(std::string_view method, std::string_view pattern,
                            Handler handler) {
  if (method.empty()) return absl::InvalidArgumentError("route method is empty");
  if (!absl::StartsWith(base::Absl(pattern), "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("route '", base::Absl(pattern), "' must start with '/'"));
  }
  Route route{std::string(method), std::string(pattern), {}, 0, std::move(handler)};
  absl::flat_hash_set<std::string_view> names;
  for (std::string_view segment : SplitPath(pattern)) {
    const bool braced = segment.find_first_of("{}") != std::string_view::npos;
    if ((segment.empty() && pattern != "/") || (braced && !IsParameter(segment)) ||
        (IsParameter(segment) && !names.insert(segment).second)) {
      return absl::InvalidArgumentError(
          absl::StrCat("route '", base::Absl(pattern), "' has a bad segment '", base::Absl(segment), "'"));
    }
    route.parameter_count += IsParameter(segment) ? 1 : 0;
    route.segments.emplace_back(segment);
  }
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      return absl::AlreadyExistsError(
          absl::StrCat(base::Absl(method), " ", base::Absl(pattern), " is already routed"));
    }
  }
  routes_.push_back(std::move(route));
  return absl::OkStatus();
}

std::vector<const Router::Route*> Router::Candidates(std::string_view path) const {
  std::vector<const Route*> best;
  if (path.empty() || path.front() != '/') return best;
  const std::vector<std::string_view> path_segments = SplitPath(path);
  for (const Route& route : routes_) {
    if (!SegmentsMatch(route.segments, path_segments, nullptr)) continue;
    if (!best.empty() && route.parameter_count > best.front()->parameter_count) continue;
    if (!best.empty() && route.parameter_count < best.front()->parameter_count) best.clear();
    best.push_back(&route);
  }
  return best;
}

std::optional<Router::Match> Router::MatchPath(std::string_view path) const {
  const std::vector<const Route*> candidates = Candidates(path);
  if (candidates.empty()) return std::nullopt;
  Match match;
  match.route = candidates.front()->pattern;
  for (const Route* route : candidates) {
    if (route->pattern != match.route) continue;  // equal-rank patterns: the first one wins
    match.methods.push_back(route->method);
  }
  return match;
}

Response Router::Dispatch(Request* request, std::string* route) const {
  if (route != nullptr) route->clear();
  const std::optional<Match> match = MatchPath(request->path);
  if (!match.has_value()) {
    return ErrorResponse(404, absl::StrCat("no resource at ", request->path));
  }
  if (route != nullptr) *route = match->route;
  const std::vector<const Route*> candidates = Candidates(request->path);
  for (const Route* candidate : candidates) {
    if (candidate->pattern != match->route || candidate->method != request->method) continue;
    const std::vector<std::string_view> path_segments = SplitPath(request->path);
    SegmentsMatch(candidate->segments, path_segments, &request->path_params);
    return RunHandler(candidate->handler, *request);
  }
  std::vector<std::string> allowed = match->methods;
  allowed.push_back("OPTIONS");
  Response response;
  if (request->method == "OPTIONS") {
    response.status = 204;
    response.content_type.clear();
  } else {
    response = ErrorResponse(405, absl::StrCat("method ", request->method, " is not allowed on ",
                                               match->route));
  }
  response.headers.emplace_back("Allow", absl::StrJoin(allowed, ", "));
  return response;
}

}  // namespace thrombo::service::http
