// Copyright 2026 The Thrombo Authors.
// When a connection pool may try to connect again after a connect failed: for a short interval
// callers fail fast with the failure's status, instead of each waiting for a connect timeout
// while the server is down. A failure counts only when no connect has succeeded since the
// failed one began: under load, a connect begun while the server was still starting can fail
// after a later one has succeeded, and must not then turn callers away from a server that is up.
#ifndef THROMBO_SERVICE_STORE_CONNECT_BACKOFF_H_
#define THROMBO_SERVICE_STORE_CONNECT_BACKOFF_H_

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace thrombo::service::store {

// Not thread-safe: a pool calls it under its own lock.
class ConnectBackoff final {
 public:
  explicit ConnectBackoff(absl::Duration interval) : interval_(interval) {}

  // OK when a connect may be tried at `now`; else the status of the failure that forbids it.
  absl::Status MayConnect(absl::Time now) const;
  // A connect begun at `began` failed at `now` with `error`.
  void Failed(absl::Time began, absl::Time now, absl::Status error);
  // A connect succeeded at `now`: the server is up, whatever failed before.
  void Succeeded(absl::Time now);

 private:
  const absl::Duration interval_;
  absl::Time last_failure_ = absl::InfinitePast();
  absl::Status last_error_;
  absl::Time last_success_ = absl::InfinitePast();
};

}  // namespace thrombo::service::store

#endif  // THROMBO_SERVICE_STORE_CONNECT_BACKOFF_H_
