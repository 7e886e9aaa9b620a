// Copyright 2026 The Thrombo Authors.
#include "base/json_index.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/string_compat.h"
#include "simdjson.h"

namespace thrombo::base {
namespace {

static_assert(JsonIndex::kPadding >= simdjson::SIMDJSON_PADDING);

// RFC 8259 section 2: the four whitespace bytes.
bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// What may follow a number or a literal: whitespace, or the end of its array or object, or the
// comma before the next item. Anything else glued to it (`12ab`, `truex`) makes it invalid.
bool EndsScalar(char c) { return IsSpace(c) || c == ',' || c == '}' || c == ']'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at `p` (before `end`), as a UTF-16 code unit.
bool Hex4(const char* p, const char* end, uint32_t* unit) {
  if (end - p < 4) return false;
  uint32_t value = 0;
  for (int k = 0; k < 4; ++k) {
    const int digit = HexValue(p[k]);
    if (digit < 0) return false;
    value = value << 4 | static_cast<uint32_t>(digit);
  }
  *unit = value;
  return true;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | code_point >> 6));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | code_point >> 12));
    out->push_back(static_cast<char>(0x80 | (code_point >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | code_point >> 18));
    out->push_back(static_cast<char>(0x80 | (code_point >> 12 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

absl::Status Invalid(std::string_view what, size_t offset) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid JSON at byte ", offset, ": ", Absl(what)));
}

}  // namespace

JsonIndex::JsonIndex() = default;
JsonIndex::~JsonIndex() = default;

absl::Status JsonIndex::Build(std::string_view text, int max_depth) {
  decoded_.clear();
  if (text.size() >= kMaxTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON text of ", text.size(), " bytes: the index takes under ",
                     kMaxTextBytes));
  }
  text_ = text.data();
  size_ = static_cast<uint32_t>(text.size());
  if (stage1_ == nullptr || stage1_->capacity() < size_) {
    // Stage 2's buffers (sized by the depth) are never used: one level is asked for.
    std::unique_ptr<simdjson::internal::dom_parser_implementation> created;
    if (simdjson::get_active_implementation()->create_dom_parser_implementation(
            size_, /*max_depth=*/1, created) != simdjson::SUCCESS) {
      return absl::ResourceExhaustedError(
          absl::StrCat("no memory to index a JSON text of ", size_, " bytes"));
    }
    stage1_ = std::move(created);
  }
  // Stage 1: UTF-8, unescaped control characters, an unclosed string, and the token starts.
  if (const simdjson::error_code error =
          stage1_->stage1(reinterpret_cast<const uint8_t*>(text_), size_,
                          simdjson::stage1_mode::regular);
      error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON: ", simdjson::error_message(error)));
  }
  starts_ = stage1_->structural_indexes.get();
  uint32_t n = static_cast<uint32_t>(stage1_->n_structural_indexes);
  while (n > 0 && starts_[n - 1] >= size_) --n;  // stage 1's end markers
  if (n == 0) return Invalid("no value", 0);
  if (aux_capacity_ < n) {
    aux_capacity_ = n;
    aux_.reset(new uint32_t[n]);  // left uninitialized: every entry read is written first
  }

  // Where the text has backslashes (rare in FHIR), then a sentinel past any offset. A backslash
  // outside a string is not JSON (it would start a token no value starts with), so a string
  // holds an escape exactly when a backslash lies between it and the next token: each string
  // is looked up here, not scanned.
  backslashes_.clear();
  for (const char* p = text_; (p = static_cast<const char*>(
                                   std::memchr(p, '\\', text_ + size_ - p))) != nullptr;
       ++p) {
    backslashes_.push_back(static_cast<uint32_t>(p - text_));
  }
  backslashes_.push_back(UINT32_MAX);
  next_backslash_ = 0;

  // The grammar, one token at a time. The stack holds the containers not yet closed, each as
  // its token << 1 | whether it is an object; there cannot be more than tokens. `open` is its
  // top, kept out of memory: every token after a value looks at it.
  uint32_t* const aux = aux_.get();
  const uint32_t* const starts = starts_;
  const char* const bytes = text_;
  const uint32_t stack_limit =
      static_cast<uint32_t>(std::clamp<int64_t>(max_depth, 0, static_cast<int64_t>(n)));
  if (open_.size() < stack_limit) open_.resize(stack_limit);
  uint32_t* const stack = open_.data();
  uint32_t depth = 0;
  uint32_t open = 0;
  uint32_t next_escape = backslashes_[0];
  // The string at token `at`, followed by token `next_start`. A string without escapes needs
  // no check (stage 1 has checked its bytes); its aux is where the next token starts.
  const auto check_string = [&](uint32_t at, uint32_t next_start) {
    if (next_escape >= next_start) {
      aux[at] = next_start;
      return true;
    }
    if (!CheckEscapedString(at, next_start)) return false;
    next_escape = backslashes_[next_backslash_];
    return true;
  };
  const auto member_name = [&](uint32_t at) {  // a string and ':' at token `at`
    return at + 1 < n && bytes[starts[at]] == '"' && bytes[starts[at + 1]] == ':' &&
           check_string(at, starts[at + 1]);
  };
  const auto no_member_name = [&](uint32_t at) {
    return Invalid("a member name and ':' expected", at < n ? starts[at] : size_);
  };
  uint32_t i = 0;
  for (;;) {
    // A value starts at token i. Strings first: most values of FHIR are.
    if (i >= n) return Invalid("a value is missing", size_);
    const char c = bytes[starts[i]];
    if (c == '"') {
      if (!check_string(i, i + 1 < n ? starts[i + 1] : size_)) {
        return Invalid("not a valid value", starts[i]);
      }
      ++i;
    } else if (c == '{' || c == '[') {
      if (depth == stack_limit) {  // only a limit below the token count is reached
        return Invalid(absl::StrCat("nested deeper than ", max_depth), starts[i]);
      }
      const bool object = c == '{';
      if (i + 1 < n && bytes[starts[i + 1]] == (object ? '}' : ']')) {  // empty
        aux[i] = i + 1;
        i += 2;
      } else {
        open = i << 1 | static_cast<uint32_t>(object);
        stack[depth++] = open;
        ++i;
        if (object) {
          if (!member_name(i)) return no_member_name(i);
          i += 2;
        }
        continue;
      }
    } else {
      const bool valid = c == 't' || c == 'f' || c == 'n' ? CheckLiteral(i) : CheckNumber(i);
      if (!valid) return Invalid("not a valid value", starts[i]);
      ++i;
    }
    // After a value: close what ends here, up to the next value.
    for (;;) {
      if (depth == 0) {
        if (i == n) return absl::OkStatus();
        return Invalid("text after the value", starts[i]);
      }
      if (i >= n) return Invalid("an object or array is not closed", size_);
      const bool object = (open & 1) != 0;
      const char d = bytes[starts[i]];
      if (d == ',') {
        ++i;
        if (object) {
          if (!member_name(i)) return no_member_name(i);
          i += 2;
        }
        break;
      }
      if (d != (object ? '}' : ']')) {
        return Invalid(object ? "',' or '}' expected" : "',' or ']' expected", starts[i]);
      }
      aux[open >> 1] = i++;
      if (--depth > 0) open = stack[depth - 1];
    }
  }
}

bool JsonIndex::CheckEscapedString(uint32_t token, uint32_t next_start) {
  const uint32_t begin = starts_[token] + 1;
  // Only whitespace lies between the closing quote and the next token: stage 1 makes any other
  // byte after a string the start of a token, and no token starts inside a string.
  uint32_t end = next_start;
  while (end > begin && text_[end - 1] != '"') --end;
  if (end <= begin) return false;
  aux_[token] = kDecoded | static_cast<uint32_t>(decoded_.size());
  while (backslashes_[next_backslash_] < next_start) ++next_backslash_;
  return Decode(begin, end - 1);
}

bool JsonIndex::Decode(uint32_t begin, uint32_t end) {
  const size_t at = decoded_.size();
  decoded_.append(sizeof(uint32_t), '\0');
  const char* p = text_ + begin;
  const char* const stop = text_ + end;
  while (p < stop) {
    const auto* backslash = static_cast<const char*>(std::memchr(p, '\\', stop - p));
    const char* const plain_end = backslash != nullptr ? backslash : stop;
    decoded_.append(p, plain_end - p);
    if (backslash == nullptr) break;
    p = backslash + 1;
    if (p >= stop) return false;
    switch (*p++) {
      case '"': decoded_.push_back('"'); break;
      case '\\': decoded_.push_back('\\'); break;
      case '/': decoded_.push_back('/'); break;
      case 'b': decoded_.push_back('\b'); break;
      case 'f': decoded_.push_back('\f'); break;
      case 'n': decoded_.push_back('\n'); break;
      case 'r': decoded_.push_back('\r'); break;
      case 't': decoded_.push_back('\t'); break;
      case 'u': {
        uint32_t unit;
        if (!Hex4(p, stop, &unit)) return false;
        p += 4;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate alone
        if (unit >= 0xD800 && unit <= 0xDBFF) {              // must pair with a low one
          uint32_t low;
          if (stop - p < 6 || p[0] != '\\' || p[1] != 'u' || !Hex4(p + 2, stop, &low) ||
              low < 0xDC00 || low > 0xDFFF) {
            return false;
          }
          p += 6;
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(unit, &decoded_);
        break;
      }
      default:
        return false;
    }
  }
  const auto length = static_cast<uint32_t>(decoded_.size() - at - sizeof(uint32_t));
  std::memcpy(&decoded_[at], &length, sizeof(length));
  return true;
}

bool JsonIndex::CheckNumber(uint32_t token) {
  // RFC 8259 section 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  uint32_t p = starts_[token];
  const auto digit = [&](uint32_t q) { return q < size_ && IsDigit(text_[q]); };
  if (text_[p] == '-') ++p;
  if (!digit(p)) return false;
  const uint32_t integer = p;
  if (text_[p++] != '0') {
    while (digit(p)) ++p;
  }
  if (p - integer > kMaxMagnitudeDigits) return false;
  if (p < size_ && text_[p] == '.') {
    if (!digit(++p)) return false;
    while (digit(p)) ++p;
  }
  if (p < size_ && (text_[p] == 'e' || text_[p] == 'E')) {
    ++p;
    const bool negative = p < size_ && text_[p] == '-';
    if (p < size_ && (text_[p] == '+' || text_[p] == '-')) ++p;
    if (!digit(p)) return false;
    uint32_t exponent = 0;
    for (; digit(p); ++p) {
      if (exponent <= kMaxMagnitudeDigits) exponent = exponent * 10 + (text_[p] - '0');
    }
    if (!negative && exponent > kMaxMagnitudeDigits) return false;
  }
  if (p < size_ && !EndsScalar(text_[p])) return false;
  aux_[token] = p;
  return true;
}

bool JsonIndex::CheckLiteral(uint32_t token) {
  const uint32_t p = starts_[token];
  const char c = text_[p];
  const std::string_view literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
  if (size_ - p < literal.size() || std::memcmp(text_ + p, literal.data(), literal.size()) != 0) {
    return false;
  }
  const uint32_t end = p + static_cast<uint32_t>(literal.size());
  return end == size_ || EndsScalar(text_[end]);
}

bool JsonObject::Find(std::string_view key, JsonValue* value) const {
  for (const JsonMember member : *this) {
    if (member.key == key) {
      *value = member.value;
      return true;
    }
  }
  return false;
}

}  // namespace thrombo::base
