// Copyright 2026 The Thrombo Authors.
#include "service/store/connect_backoff.h"

#include <utility>

namespace thrombo::service::store {

absl::Status ConnectBackoff::MayConnect(absl::Time now) const {
  return now - last_failure_ < interval_ ? last_error_ : absl::OkStatus();
}

void ConnectBackoff::Failed(absl::Time began, absl::Time now, absl::Status error) {
  if (began < last_success_) return;  // a connect begun later has reached the server
  last_failure_ = now;
  last_error_ = std::move(error);
}

void ConnectBackoff::Succeeded(absl::Time now) {
  last_success_ = now;
  last_failure_ = absl::InfinitePast();
}

}  // namespace thrombo::service::store
