// Copyright 2026 The Thrombo Authors.
#include "base/json_dom.h"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/string_compat.h"

namespace thrombo::base {
namespace {

// A container (object or array) met on the walk, and how it hangs from its parent. Paths are
// built only for the repeat that is found: building one per container would cost time
// quadratic in the nesting depth, and a body of nothing but "[[[[..." is cheap to send.
struct Node {
  const rapidjson::Value* value;
  size_t parent;           // index into the node list; kRoot for the root
  std::string_view name;   // the member name, when the parent is an object
  rapidjson::SizeType index = 0;  // the element index, when the parent is an array
};
constexpr size_t kRoot = static_cast<size_t>(-1);

std::string PathOf(const std::vector<Node>& nodes, size_t at, std::string_view last) {
  std::vector<const Node*> chain;
  for (size_t i = at; i != kRoot; i = nodes[i].parent) chain.push_back(&nodes[i]);
  std::reverse(chain.begin(), chain.end());
  std::string path;
  for (const Node* node : chain) {
    if (node->parent == kRoot) continue;
    if (nodes[node->parent].value->IsArray()) {
      absl::StrAppend(&path, "[", node->index, "]");
    } else {
      absl::StrAppend(&path, path.empty() ? "" : ".", Absl(node->name));
    }
  }
  absl::StrAppend(&path, path.empty() ? "" : ".", Absl(last));
  return path;
}

}  // namespace

std::optional<DuplicateMember> FirstDuplicateMember(const rapidjson::Value& root) {
  std::vector<Node> nodes = {{&root, kRoot, {}, 0}};
  std::vector<size_t> pending = {0};
  while (!pending.empty()) {
    const size_t at = pending.back();
    pending.pop_back();
    const rapidjson::Value& value = *nodes[at].value;
    if (value.IsArray()) {
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        if (!value[i].IsArray() && !value[i].IsObject()) continue;
        pending.push_back(nodes.size());
        nodes.push_back({&value[i], at, {}, i});
      }
      continue;
    }
    if (!value.IsObject()) continue;
    absl::flat_hash_set<std::string_view> names;
    for (const auto& member : value.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      if (!names.insert(name).second) {
        return DuplicateMember{std::string(name), PathOf(nodes, at, name)};
      }
      if (!member.value.IsArray() && !member.value.IsObject()) continue;
      pending.push_back(nodes.size());
      nodes.push_back({&member.value, at, name, 0});
    }
  }
  return std::nullopt;
}

}  // namespace thrombo::base
