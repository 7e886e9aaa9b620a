// Copyright 2026 The Thrombo Authors.
// RETURN_IF_ERROR / ASSIGN_OR_RETURN for absl::Status and absl::StatusOr, which Debian's
// abseil 20220623 does not provide.
#ifndef THROMBO_BASE_STATUS_MACROS_H_
#define THROMBO_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define THROMBO_CONCAT_INNER_(a, b) a##b
#define THROMBO_CONCAT_(a, b) THROMBO_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    const ::absl::Status thrombo_status_ = (expr);             \
    if (!thrombo_status_.ok()) return thrombo_status_;         \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates a StatusOr; on error returns its status, otherwise
// moves the value into `lhs` (which may be a declaration, e.g. `auto x`).
#define ASSIGN_OR_RETURN(lhs, expr) \
  THROMBO_ASSIGN_OR_RETURN_IMPL_(THROMBO_CONCAT_(thrombo_statusor_, __LINE__), lhs, expr)

#define THROMBO_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

#endif  // THROMBO_BASE_STATUS_MACROS_H_
