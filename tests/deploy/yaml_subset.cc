// Copyright 2026 The Thrombo Authors.
// The YAML subset reader: lines with their indentation, parsed by recursive descent on indent.
#include "tests/deploy/yaml_subset.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace thrombo::deploy {
namespace {

struct Line {
  int number = 0;  // 1-based, for messages
  size_t indent = 0;
  std::string text;  // without indentation, comment or trailing blanks
};

// The line without a trailing comment: '#' at the start or after a blank, outside quotes.
std::string StripComment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ')) {
      return line.substr(0, i);
    }
  }
  return line;
}

absl::Status Unsupported(const Line& line, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line.number, ": ", what, " is outside the YAML subset: ", line.text));
}

class Parser {
 public:
  explicit Parser(std::vector<Line> lines) : lines_(std::move(lines)) {}

  absl::StatusOr<YamlNode> Document() {
    if (lines_.empty()) return YamlNode{YamlNode::Kind::kMap, "", {}, {}};
    auto node = Block(lines_[0].indent);
    if (!node.ok()) return node.status();
    if (next_ < lines_.size()) {
      return Unsupported(lines_[next_], "a line indented less than its document");
    }
    return node;
  }

 private:
  static bool IsItem(const std::string& text) { return text == "-" || text.rfind("- ", 0) == 0; }

  // The block starting at lines_[next_], whose lines sit at `indent`.
  absl::StatusOr<YamlNode> Block(size_t indent) {
    if (IsItem(lines_[next_].text)) return Sequence(indent);
    return Map(indent);
  }

  absl::StatusOr<YamlNode> Sequence(size_t indent) {
    YamlNode node;
    node.kind = YamlNode::Kind::kSequence;
    while (next_ < lines_.size() && lines_[next_].indent == indent &&
           IsItem(lines_[next_].text)) {
      Line& line = lines_[next_];
      const std::string rest = line.text == "-" ? "" : line.text.substr(2);
      if (rest.empty()) {
        ++next_;
        if (next_ >= lines_.size() || lines_[next_].indent <= indent) {
          node.sequence.push_back(YamlNode());
          continue;
        }
        auto child = Block(lines_[next_].indent);
        if (!child.ok()) return child.status();
        node.sequence.push_back(*std::move(child));
        continue;
      }
      if (rest.find(": ") == std::string::npos && rest.back() != ':') {
        auto scalar = Scalar(line, rest);
        if (!scalar.ok()) return scalar.status();
        node.sequence.push_back(*std::move(scalar));
        ++next_;
        continue;
      }
      // "- key: value": a map whose first entry shares the dash's line, the rest below it.
      line.indent = indent + 2;
      line.text = rest;
      auto child = Map(indent + 2);
      if (!child.ok()) return child.status();
      node.sequence.push_back(*std::move(child));
    }
    return node;
  }

  absl::StatusOr<YamlNode> Map(size_t indent) {
    YamlNode node;
    node.kind = YamlNode::Kind::kMap;
    while (next_ < lines_.size() && lines_[next_].indent == indent) {
      const Line line = lines_[next_];
      if (IsItem(line.text)) return Unsupported(line, "a sequence item inside a mapping");
      const size_t colon = line.text.find(':');
      if (colon == std::string::npos ||
          (colon + 1 < line.text.size() && line.text[colon + 1] != ' ')) {
        return Unsupported(line, "a line that is not \"key: value\"");
      }
      std::string key = line.text.substr(0, colon);
      const std::string value(absl::StripAsciiWhitespace(line.text.substr(colon + 1)));
      for (const auto& [existing, ignored] : node.map) {
        if (existing == key) return Unsupported(line, "a duplicate key");
      }
      ++next_;
      if (!value.empty()) {
        auto scalar = Scalar(line, value);
        if (!scalar.ok()) return scalar.status();
        node.map.emplace_back(std::move(key), *std::move(scalar));
        continue;
      }
      // The value is the block below: indented more, or a sequence at the same indent.
      if (next_ < lines_.size() &&
          (lines_[next_].indent > indent ||
           (lines_[next_].indent == indent && IsItem(lines_[next_].text)))) {
        auto child = Block(lines_[next_].indent);
        if (!child.ok()) return child.status();
        node.map.emplace_back(std::move(key), *std::move(child));
      } else {
        node.map.emplace_back(std::move(key), YamlNode());  // null, read as ""
      }
    }
    if (next_ < lines_.size() && lines_[next_].indent > indent) {
      return Unsupported(lines_[next_], "an unexpected indentation");
    }
    return node;
  }

  static absl::StatusOr<YamlNode> Scalar(const Line& line, const std::string& text) {
    YamlNode node;
    if (text == "[]") {
      node.kind = YamlNode::Kind::kSequence;
      return node;
    }
    if (text == "{}") {
      node.kind = YamlNode::Kind::kMap;
      return node;
    }
    const char first = text.front();
    if (first == '[' || first == '{' || first == '&' || first == '*' || first == '!' ||
        first == '|' || first == '>') {
      return Unsupported(line, "a flow collection, anchor, alias, tag or block scalar");
    }
    if ((first == '"' || first == '\'') && (text.size() < 2 || text.back() != first)) {
      return Unsupported(line, "an unterminated or multi-line quoted scalar");
    }
    if (first == '"' || first == '\'') {
      if (first == '"' && text.find('\\') != std::string::npos) {
        return Unsupported(line, "an escape sequence");
      }
      node.scalar = text.substr(1, text.size() - 2);
    } else {
      node.scalar = text;
    }
    return node;
  }

  std::vector<Line> lines_;
  size_t next_ = 0;
};

}  // namespace

const YamlNode* YamlNode::Find(const std::string& key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [name, value] : map) {
    if (name == key) return &value;
  }
  return nullptr;
}

const YamlNode* YamlNode::At(const std::string& dotted_path) const {
  const YamlNode* node = this;
  for (absl::string_view key : absl::StrSplit(dotted_path, '.')) {
    node = node->Find(std::string(key));
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string YamlNode::Text(const std::string& dotted_path) const {
  const YamlNode* node = At(dotted_path);
  return node != nullptr && node->kind == Kind::kScalar ? node->scalar : "";
}

absl::StatusOr<std::vector<YamlNode>> ParseYamlDocuments(const std::string& text) {
  std::vector<YamlNode> documents;
  std::vector<Line> lines;
  int number = 0;
  auto finish = [&]() -> absl::Status {
    if (lines.empty()) return absl::OkStatus();
    auto document = Parser(std::move(lines)).Document();
    lines.clear();
    if (!document.ok()) return document.status();
    documents.push_back(*std::move(document));
    return absl::OkStatus();
  };
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++number;
    std::string line = StripComment(std::string(raw));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty()) continue;
    if (line.find('\t') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("line ", number, ": a tab"));
    }
    if (line == "---") {
      if (absl::Status done = finish(); !done.ok()) return done;
      continue;
    }
    const size_t indent = line.find_first_not_of(' ');
    lines.push_back(Line{number, indent, line.substr(indent)});
  }
  if (absl::Status done = finish(); !done.ok()) return done;
  return documents;
}

}  // namespace thrombo::deploy
