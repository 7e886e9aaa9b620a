// Copyright 2026 The Thrombo Authors.
// A small streaming JSON writer that appends compact JSON to a caller's std::string: no DOM, no
// intermediate buffer, no allocation beyond the output's own growth. It knows no FHIR.
//
// Strings are escaped exactly as RapidJSON's Writer (UTF-8 to UTF-8, default flags) escapes them:
// '"' and '\\' with a backslash; \b \t \n \f \r by name; every other byte below 0x20 as \u00XX
// with upper-case hex; every other byte, '/' and non-ASCII included, as is. Output written with
// RapidJSON before and with this writer now is byte for byte the same (service/cds tests check).
#ifndef THROMBO_BASE_JSON_WRITER_H_
#define THROMBO_BASE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace thrombo::base {

class JsonWriter final {
 public:
  // Appends to `*out`, which must outlive the writer. The writer does not check nesting: the
  // caller pairs Start/End and writes a Key before each object member.
  explicit JsonWriter(std::string* out) : out_(*out) {}

  void StartObject() {
    Separate();
    out_.push_back('{');
    comma_ = false;
  }
  void EndObject() {
    out_.push_back('}');
    comma_ = true;
  }
  void StartArray() {
    Separate();
    out_.push_back('[');
    comma_ = false;
  }
  void EndArray() {
    out_.push_back(']');
    comma_ = true;
  }
  // An object member's name; the next call writes its value.
  void Key(std::string_view key) {
    Separate();
    AppendQuoted(key);
    out_.push_back(':');
    comma_ = false;
  }
  void String(std::string_view value) {
    Separate();
    AppendQuoted(value);
    comma_ = true;
  }
  void Bool(bool value) {
    Separate();
    out_.append(value ? "true" : "false");
    comma_ = true;
  }
  void Int(int64_t value);
  void Uint(uint64_t value);
  // `json` is appended as one value, unchecked (e.g. a FHIR decimal's exact text).
  void Raw(std::string_view json) {
    Separate();
    out_.append(json);
    comma_ = true;
  }

  // `members`, one or more complete object members ("key":value, comma-separated, unchecked)
  // written earlier by a JsonWriter, as the next members of the current object: for members
  // that never change, written once and appended many times.
  void Members(std::string_view members) {
    Separate();
    out_.append(members);
    comma_ = true;
  }

  // Key(key) then String(value), only when `value` is not empty (CDS Hooks and FHIR JSON leave
  // out empty elements).
  void NonEmpty(std::string_view key, std::string_view value) {
    if (value.empty()) return;
    Key(key);
    String(value);
  }

  // Appends `text` as a quoted JSON string to `out` (the escaping described above).
  static void AppendQuoted(std::string_view text, std::string* out);

 private:
  void Separate() {
    if (comma_) out_.push_back(',');
  }
  void AppendQuoted(std::string_view text) { AppendQuoted(text, &out_); }

  std::string& out_;
  bool comma_ = false;  // a value was written in the current container: the next one needs ','
};

}  // namespace thrombo::base

#endif  // THROMBO_BASE_JSON_WRITER_H_
