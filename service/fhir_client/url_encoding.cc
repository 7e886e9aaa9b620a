// Copyright 2026 The Thrombo Authors.
// Percent-encoding for relative FHIR REST queries.
#include "service/fhir_client/url_encoding.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace thrombo::service {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

void AppendEscaped(char c, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(c);
  out->push_back('%');
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0x0F]);
}

// Characters kept literal inside a path segment or a query name/value of a template: FHIR
// search gives ',', ':', '/', '$' and '@' meaning, and the rest are harmless sub-delimiters.
// Not kept: '&' '=' (structure), '+' (read as a space), '|' '#' ' ' and controls.
bool IsKeptInQuery(char c) {
  switch (c) {
    case '!': case '$': case '\'': case '(': case ')': case '*': case ',': case ';':
    case ':': case '@': case '/': case '?':
      return true;
    default:
      return IsUnreserved(c);
  }
}

// Encodes `text` byte by byte, keeping bytes for which `keep` holds and (when
// `keep_escapes`) existing %XX escapes.
template <typename Keep>
void EncodeInto(std::string_view text, Keep keep, bool keep_escapes, std::string* out) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool escape = keep_escapes && c == '%' && i + 2 < text.size() &&
                        IsHexDigit(text[i + 1]) && IsHexDigit(text[i + 2]);
    if (escape || keep(c)) {
      out->push_back(c);
    } else {
      AppendEscaped(c, out);
    }
  }
}

// One "name=value" (or bare "name") parameter: only the first '=' is structural.
void EncodeParameter(std::string_view parameter, std::string* out) {
  const size_t equals = parameter.find('=');
  EncodeInto(parameter.substr(0, equals), IsKeptInQuery, true, out);
  if (equals == std::string_view::npos) return;
  out->push_back('=');
  EncodeInto(parameter.substr(equals + 1), IsKeptInQuery, true, out);
}

}  // namespace

std::string PercentEncodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  EncodeInto(text, IsUnreserved, false, &out);
  return out;
}

std::string PercentEncodeQueryValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  EncodeInto(text, [](char c) { return IsUnreserved(c) || c == '/' || c == ':'; }, false, &out);
  return out;
}

std::string EncodeRelativeQuery(std::string_view query) {
  std::string out;
  out.reserve(query.size() + 8);
  const size_t question = query.find('?');
  EncodeInto(query.substr(0, question), IsKeptInQuery, true, &out);  // holds no '?'
  if (question == std::string_view::npos) return out;
  out.push_back('?');
  std::string_view rest = query.substr(question + 1);
  while (true) {
    const size_t amp = rest.find('&');
    EncodeParameter(rest.substr(0, amp), &out);
    if (amp == std::string_view::npos) break;
    out.push_back('&');
    rest = rest.substr(amp + 1);
  }
  return out;
}

}  // namespace thrombo::service
