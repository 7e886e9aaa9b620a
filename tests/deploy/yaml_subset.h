// Copyright 2026 The Thrombo Authors.
// A reader for the block-style YAML subset the deployment manifests keep to: mappings,
// sequences ("- "), plain and quoted scalars, comments, several documents ("---"), and the
// empty flow forms "[]" and "{}". Anchors, tags, flow collections and multi-line scalars are
// refused, so a manifest that leaves the subset fails its test instead of being misread.
#ifndef THROMBO_TESTS_DEPLOY_YAML_SUBSET_H_
#define THROMBO_TESTS_DEPLOY_YAML_SUBSET_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace thrombo::deploy {

struct YamlNode {
  enum class Kind { kScalar, kMap, kSequence };
  Kind kind = Kind::kScalar;
  std::string scalar;                                  // kScalar
  std::vector<std::pair<std::string, YamlNode>> map;   // kMap, in document order
  std::vector<YamlNode> sequence;                      // kSequence

  // The value of `key` in a map, or nullptr (not a map, or no such key).
  const YamlNode* Find(const std::string& key) const;
  // Follows a dotted path of map keys ("spec.template.spec"); nullptr if any step is missing.
  const YamlNode* At(const std::string& dotted_path) const;
  // The scalar at `dotted_path`, or "" when absent or not a scalar.
  std::string Text(const std::string& dotted_path) const;
};

// Every document in `text`. Errors name the line (1-based) that leaves the subset.
absl::StatusOr<std::vector<YamlNode>> ParseYamlDocuments(const std::string& text);

}  // namespace thrombo::deploy

#endif  // THROMBO_TESTS_DEPLOY_YAML_SUBSET_H_
