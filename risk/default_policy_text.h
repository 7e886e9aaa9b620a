// Copyright 2026 The Thrombo Authors.
// The text of risk/default_policy.textproto, embedded at build time by a genrule (risk/BUILD).
#ifndef THROMBO_RISK_DEFAULT_POLICY_TEXT_H_
#define THROMBO_RISK_DEFAULT_POLICY_TEXT_H_

#include <string_view>

namespace thrombo::risk {

// The whole file, unparsed. Use DefaultPolicy() (risk/policy.h) for the parsed policy.
std::string_view DefaultPolicyText();

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_DEFAULT_POLICY_TEXT_H_
