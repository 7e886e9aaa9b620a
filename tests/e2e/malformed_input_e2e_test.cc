// Copyright 2026 The Thrombo Authors.
// The abuse suite of issue 5: one table of malformed requests, each sent over a real socket to
// the order-sign hook or its feedback endpoint. Every case must get its 4xx with a FHIR
// OperationOutcome (naming the element at fault where there is one) or, for transport-level
// abuse, a closed connection; within bounded time; and after each case a valid request must
// still get a valid CDS Hooks answer, so one bad client cannot take the service from others.
//
// Most bodies are examples/order-sign-thalidomide.json (or a valid feedback body) with exactly
// one fault spliced into its compact JSON text, so each case isolates one fault;
// ValidFixturesAreAccepted proves the unmutated bodies succeed.
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;


// The stack's body limit: large enough for the 100k-element and 10k-deep bodies, so those
// reach the JSON readers; the 50 MiB body is far past it.
constexpr size_t kMaxBodyBytes = 4 << 20;
// Every answer (or close) must arrive within this; the client gives up a little later, so a
// hang shows as a failed bound rather than as an accepted "connection closed".
constexpr absl::Duration kAnswerBound = absl::Seconds(10);
constexpr int kClientTimeoutSeconds = 15;

// Feedback for the order-sign service: one accepted and one overridden entry. The card and
// suggestion ids need not come from a real call; the endpoint checks shape, not history.
constexpr char kValidFeedback[] =
    R"({"feedback":[{"card":"1d2c7c1e-6f5a-4b8e-9a51-2f1f0e1a7b10","outcome":"accepted",)"
    R"("acceptedSuggestions":[{"id":"8a0e5c55-6b1d-4e0f-a0a9-3c0b7f3e2d11"}],)"
    R"("outcomeTimestamp":"2026-11-25T12:01:00Z"},)"
    R"({"card":"1d2c7c1e-6f5a-4b8e-9a51-2f1f0e1a7b10","outcome":"overridden",)"
    R"("overrideReason":{"reason":{"system":"https://thrombo.example/override","code":"other",)"
    R"("display":"Other"},"userComment":"on apixaban already"},)"
    R"("outcomeTimestamp":"2026-11-25T12:02:00Z"}]})";

// The outcome a case expects: an HTTP status, or (transport-level abuse) either a 413 or the
// connection closed without an answer.
constexpr int kClosedOr413 = -1;
// Accepted by the tolerant hook path (fhir/json_sax_handler.h ParseOptions.tolerant): the
// element of the wrong shape is dropped and its data category becomes UNKNOWN, or the deviation
// has one clear meaning; the call is answered 200 with valid cards. For these rows `expression`
// is where the deviation is recorded (it is logged and counted, not answered).
constexpr int kAccepted = 200;

enum class Auth { kValid, kNone, kGarbage };

// Builds a body from the valid one for the case's endpoint (the order-sign request pointed at
// the stack's fake FHIR server, or kValidFeedback).
using BodyBuilder = std::function<std::string(const std::string& valid)>;

struct MalformedCase {
  std::string name;
  std::string path;
  BodyBuilder body;
  int want_status = 400;
  // A FHIR path / JSON location issue[0].expression must name; empty when the fault has none
  // (syntax errors, transport errors).
  std::string expression;
  // Text the diagnostics must contain, e.g. the line and column of a JSON syntax error.
  std::string diagnostics;
  std::string method = "POST";
  std::string content_type = "application/json";  // empty: no Content-Type header
  Auth auth = Auth::kValid;
  // When set, these exact bytes are written to the socket instead of `method`/`body`; for
  // framing faults an HTTP client library will not produce. `token` is a valid bearer JWT.
  std::function<std::string(const std::string& valid, const std::string& token)> raw;
};

// gtest prints the case by name instead of dumping its bytes.
void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

// ---- body builders ---------------------------------------------------------------------------

// `text` with the first occurrence of `from` replaced by `to`; a fixture that lacks `from` is a
// broken test, reported as such.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the fixture has no '" << from << "' to mutate";
    return text;
  }
  text.replace(at, from.size(), to);
  return text;
}

BodyBuilder Sub(std::string from, std::string to) {
  return [from, to](const std::string& valid) { return Replace(valid, from, to); };
}

BodyBuilder Fixed(std::string body) {
  return [body](const std::string&) { return body; };
}

// The body cut just after the first occurrence of `marker`.
BodyBuilder CutAfter(std::string marker) {
  return [marker](const std::string& valid) {
    const size_t at = valid.find(marker);
    if (at == std::string::npos) ADD_FAILURE() << "the fixture has no '" << marker << "'";
    return valid.substr(0, at == std::string::npos ? valid.size() / 2 : at + marker.size());
  };
}

std::string Repeat(std::string_view item, int count, std::string_view separator = ",") {
  std::string out;
  out.reserve((item.size() + separator.size()) * count);
  for (int i = 0; i < count; ++i) {
    if (i > 0) out.append(separator);
    out.append(item);
  }
  return out;
}

// `levels` nested arrays: [[[...]]].
std::string DeepArrays(int levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

// `levels` nested objects: {"a":{"a":...{}...}}.
std::string DeepObjects(int levels) {
  return Repeat(R"({"a":)", levels, "") + "{}" + std::string(levels, '}');
}

// ---- the table -------------------------------------------------------------------------------

MalformedCase Hook(std::string name, BodyBuilder body, int status, std::string expression = "") {
  MalformedCase c;
  c.name = std::move(name);
  c.path = kOrderSign;
  c.body = std::move(body);
  c.want_status = status;
  c.expression = std::move(expression);
  return c;
}

MalformedCase Feedback(std::string name, BodyBuilder body, int status,
                       std::string expression = "") {
  MalformedCase c = Hook(std::move(name), std::move(body), status, std::move(expression));
  c.path = kFeedback;
  return c;
}

// A JSON syntax error: no element to name, so the diagnostics give the line and column.
MalformedCase Located(MalformedCase c) {
  c.diagnostics = "(line 1, column ";
  return c;
}

template <typename Edit>
MalformedCase With(MalformedCase c, Edit edit) {
  edit(c);
  return c;
}

// Spliced fragments of the order-sign fixture (compact JSON, as ToJson writes it).
constexpr char kBirthDate[] = R"("birthDate":"1958-03-02")";
constexpr char kBmiValue[] = R"("valueQuantity":{"value":31.0)";
constexpr char kDraftDosage[] = R"("dosageInstruction":[{"text":"100 mg by mouth daily")";
constexpr char kPrefetchDosage[] =
    R"("dosageInstruction":[{"text":"40 mg by mouth on days 1-4, 9-12 and 17-20 of each )"
    R"(28-day cycle"}])";
constexpr char kPatientPrefetch[] = R"("prefetch":{"patient":{)";
constexpr char kBmi[] = "prefetch.observations.entry[0].resource.valueQuantity";

std::vector<MalformedCase> HookCases() {
  std::vector<MalformedCase> cases = {
      // Truncated at several points.
      Hook("truncated_after_first_brace", Fixed("{"), 400),
      Located(Hook("truncated_inside_a_key", CutAfter(R"({"hookIns)"), 400)),
      Located(Hook("truncated_inside_a_string_value", CutAfter(R"("hook":"order-s)"), 400)),
      Located(Hook("truncated_inside_draft_orders", CutAfter(R"("intent":"order",)"), 400)),
      Hook("truncated_inside_a_number", CutAfter(R"("valueQuantity":{"value":31)"), 400),
      Hook("truncated_inside_prefetch_fhir", CutAfter(R"("gender":"ma)"), 400),
      Hook("truncated_by_the_last_brace",
           [](const std::string& v) { return v.substr(0, v.size() - 1); }, 400),
      Located(Hook("trailing_garbage_after_the_object",
           [](const std::string& v) { return v + "x"; }, 400)),
      Hook("two_json_documents", [](const std::string& v) { return v + v; }, 400),
      Hook("trailing_comma", Sub(R"("encounterId":"enc-1",)", R"("encounterId":"enc-1",,)"), 400),
      Hook("single_quoted_string", Sub(R"("hook":"order-sign")", R"("hook":'order-sign')"), 400),
      Located(Hook("unquoted_key", Sub(R"("hook":)", R"(hook:)"), 400)),
      Hook("javascript_comment", Sub(R"("hook":)", R"(/* c */"hook":)"), 400),
      Hook("nan_literal_as_fhir_decimal", Sub(kBmiValue, R"("valueQuantity":{"value":NaN)"),
           400),

      // Invalid UTF-8, raw bytes in the body.
      Hook("overlong_slash_in_hook_instance",
           Sub(R"("hookInstance":"5b4e)", "\"hookInstance\":\"\xC0\xAF" "5b4e"), 400),
      Hook("lone_continuation_byte_in_context_user",
           Sub(R"("userId":"Practitioner/)", "\"userId\":\"\x80Practitioner/"), 400),
      Hook("utf8_encoded_surrogate_half_in_prefetch_fhir",
           Sub(R"("gender":"male")", "\"gender\":\"m\xED\xA0\x80" "ale\""), 400),
      Hook("invalid_utf8_in_an_envelope_key", Sub(R"("encounterId":)", "\"enc\xFFId\":"), 400),
      Hook("invalid_utf8_in_a_fhir_key", Sub(R"("gender":)", "\"gen\xFE" "der\":"), 400),
      Hook("truncated_multibyte_sequence_in_draft_order",
           Sub(R"("text":"thalidomide 100 MG Oral Capsule")",
               "\"text\":\"thalidomide 100 MG Oral Capsule\xE2\x82\""),
           400),
      Hook("code_point_above_u10ffff_in_prefetch_fhir",
           Sub(R"("display":"dexamethasone")", "\"display\":\"dexa\xF4\x90\x80\x80\""), 400),
      // Escaped surrogate halves are valid JSON syntax but not Unicode text.
      Hook("escaped_lone_high_surrogate_in_hook_instance",
           Sub(R"("hookInstance":"5b4e)", R"("hookInstance":"\ud800 5b4e)"), 400),
      Hook("escaped_lone_low_surrogate_in_prefetch_fhir",
           Sub(R"("gender":"male")", R"("gender":"m\udc00ale")"), kAccepted),

      // Wrong JSON types in the envelope.
      Hook("hook_is_a_number", Sub(R"("hook":"order-sign")", R"("hook":7)"), 400, "hook"),
      Hook("hook_instance_is_an_object",
           Sub(R"("hookInstance":"5b4e4f5c-2a64-4b51-9c2a-0d6f4e2b9a10")",
               R"("hookInstance":{"id":"5b4e4f5c"})"),
           400, "hookInstance"),
      Hook("hook_instance_is_an_array",
           Sub(R"("hookInstance":"5b4e4f5c-2a64-4b51-9c2a-0d6f4e2b9a10")",
               R"("hookInstance":["5b4e4f5c"])"),
           400, "hookInstance"),
      Hook("fhir_server_is_a_number", Sub(R"("fhirServer":"http)", R"("fhirServer":1,"x":"http)"),
           400, "fhirServer"),
      Hook("context_is_a_string", Sub(R"("context":{)", R"("context":"v2","c":{)"), 400,
           "context"),
      Hook("context_is_an_array", Sub(R"("context":{)", R"("context":[],"c":{)"), 400, "context"),
      Hook("prefetch_is_an_array", Sub(R"("prefetch":{)", R"("prefetch":[],"p":{)"), 400,
           "prefetch"),
      Hook("fhir_authorization_is_a_string",
           Sub(R"("fhirAuthorization":{)", R"("fhirAuthorization":"token","a":{)"), 400,
           "fhirAuthorization"),
      Hook("fhir_authorization_expires_in_is_a_string",
           Sub(R"("expires_in":300)", R"("expires_in":"300")"), 400,
           "fhirAuthorization.expires_in"),
      Hook("fhir_authorization_access_token_is_a_number",
           Sub(R"("access_token":")", R"("access_token":42,"t":")"), 400,
           "fhirAuthorization.access_token"),

      // Wrong JSON types in context.
      Hook("context_patient_id_is_a_number", Sub(R"("patientId":"v2")", R"("patientId":2)"), 400,
           "context.patientId"),
      Hook("context_patient_id_is_an_object",
           Sub(R"("patientId":"v2")", R"("patientId":{"reference":"Patient/v2"})"), 400,
           "context.patientId"),
      Hook("context_user_id_is_a_boolean",
           Sub(R"("userId":"Practitioner/example")", R"("userId":true)"), 400, "context.userId"),
      Hook("context_draft_orders_is_a_string",
           Sub(R"("draftOrders":{)", R"("draftOrders":"Bundle","d":{)"), 400,
           "context.draftOrders"),
      Hook("context_draft_orders_is_an_array",
           Sub(R"("draftOrders":{)", R"("draftOrders":[],"d":{)"), 400, "context.draftOrders"),
      Hook("context_draft_orders_is_a_patient_not_a_bundle",
           Sub(R"("draftOrders":{"resourceType":"Bundle","type":"collection",)",
               R"("draftOrders":{"resourceType":"Patient","id":"v2",)"),
           400, "context.draftOrders"),
      Hook("context_selections_is_a_string",
           Sub(R"("encounterId":"enc-1",)", R"("encounterId":"enc-1","selections":"x",)"),
           kAccepted,
           "context.selections"),

      // Wrong JSON types for prefetch values.
      Hook("prefetch_patient_is_a_string", Sub(kPatientPrefetch, R"("prefetch":{"patient":"v2","p":{)"),
           kAccepted, "prefetch.patient"),
      Hook("prefetch_patient_is_a_number", Sub(kPatientPrefetch, R"("prefetch":{"patient":2,"p":{)"),
           kAccepted, "prefetch.patient"),
      Hook("prefetch_patient_is_an_array", Sub(kPatientPrefetch, R"("prefetch":{"patient":[],"p":{)"),
           kAccepted, "prefetch.patient"),
      Hook("prefetch_patient_is_a_boolean",
           Sub(kPatientPrefetch, R"("prefetch":{"patient":false,"p":{)"),
           kAccepted, "prefetch.patient"),
      Hook("prefetch_resource_without_resource_type",
           Sub(R"("patient":{"resourceType":"Patient",)", R"("patient":{)"), 400,
           "prefetch.patient"),
      // An unmodelled resource type is no data: the patient cannot be had (no fhirServer to
      // fetch it from), so 412.
      Hook("prefetch_resource_of_unknown_type",
           Sub(R"("patient":{"resourceType":"Patient",)", R"("patient":{"resourceType":"Pateint",)"),
           412, "prefetch.patient"),

      // Wrong JSON types deep inside FHIR resources.
      Hook("patient_birth_date_is_a_number", Sub(kBirthDate, R"("birthDate":19580302)"), kAccepted,
           "prefetch.patient.birthDate"),
      Hook("patient_birth_date_is_not_a_date", Sub(kBirthDate, R"("birthDate":"1958-13-45")"),
           kAccepted, "prefetch.patient.birthDate"),
      Hook("patient_extension_is_an_object",
           Sub(R"("extension":[{"url":"http://hl7.org/fhir/us/core)",
               R"("extension":{"url":"x"},"e":[{"url":"http://hl7.org/fhir/us/core)"),
           kAccepted, "prefetch.patient.extension"),
      Hook("draft_medication_request_dosage_instruction_is_an_object",
           Sub(kDraftDosage, R"("dosageInstruction":{"text":"100 mg"},"d":[{"text":"x")"),
           kAccepted,
           "context.draftOrders.entry[0].resource.dosageInstruction"),
      Hook("prefetch_medication_request_dosage_instruction_is_an_object",
           Sub(kPrefetchDosage, R"("dosageInstruction":{"text":"40 mg"})"), kAccepted,
           "prefetch.medicationRequests.entry[0].resource.dosageInstruction"),
      Hook("draft_dose_quantity_value_is_a_string",
           Sub(R"("doseQuantity":{"value":100,)", R"("doseQuantity":{"value":"100",)"), kAccepted,
           "context.draftOrders.entry[0].resource.dosageInstruction[0].doseAndRate[0]"
           ".doseQuantity.value"),
      Hook("observation_value_quantity_value_is_a_string",
           Sub(kBmiValue, R"("valueQuantity":{"value":"31.0")"),
           kAccepted, absl::StrCat(kBmi, ".value")),
      Hook("observation_value_quantity_is_an_array",
           Sub(kBmiValue, R"("valueQuantity":[],"v":{"value":31.0)"), kAccepted, kBmi),
      Hook("observation_status_is_not_a_code",
           Sub(R"("status":"final")", R"("status":"finished-ish")"), kAccepted,
           "prefetch.observations.entry[0].resource.status"),
      Hook("bundle_entry_is_an_object",
           Sub(R"("conditions":{"resourceType":"Bundle","type":"searchset","total":1,"entry":[)",
               R"("conditions":{"resourceType":"Bundle","type":"searchset","total":1,)"
               R"("entry":{},"e":[)"),
           kAccepted, "prefetch.conditions.entry"),
      Hook("condition_code_coding_is_a_string",
           Sub(R"("code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm")",
               R"("code":{"coding":"C90.00","c":[{"system":"http://hl7.org/fhir/sid/icd-10-cm")"),
           kAccepted, "prefetch.conditions.entry[0].resource.code.coding"),
      Hook("subject_reference_is_a_number",
           Sub(R"("subject":{"reference":"Patient/v2"},"authoredOn":"2026-11-01",)"
               R"("dosageInstruction":[{"text":"100 mg)",
               R"("subject":{"reference":2},"authoredOn":"2026-11-01",)"
               R"("dosageInstruction":[{"text":"100 mg)"),
           kAccepted, "context.draftOrders.entry[0].resource.subject.reference"),
      Hook("medication_choice_given_twice",
           Sub(R"("medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"360176")",
               R"("medicationReference":{"reference":"Medication/m1"},)"
               R"("medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"360176")"),
           kAccepted, "context.draftOrders.entry[0].resource.medication"),

      // Duplicate keys: two values for one member are ambiguous (which one did the EHR mean?),
      // and a parser that keeps the last would let a proxy and this service see different
      // requests.
      Hook("duplicate_hook_key", Sub(R"("hook":"order-sign")",
                                     R"("hook":"patient-view","hook":"order-sign")"),
           400, "hook"),
      Hook("duplicate_context_patient_id",
           Sub(R"("patientId":"v2")", R"("patientId":"someone-else","patientId":"v2")"), 400,
           "context.patientId"),
      Hook("duplicate_prefetch_key",
           Sub(kPatientPrefetch,
               R"("prefetch":{"patient":{"resourceType":"Patient","id":"v2","birthDate":"1900-01-01"},)"
               R"("patient":{)"),
           400, "prefetch.patient"),
      Hook("duplicate_key_inside_a_fhir_resource",
           Sub(kBirthDate, R"("birthDate":"2020-01-01","birthDate":"1958-03-02")"), kAccepted,
           "prefetch.patient.birthDate"),

      // Huge numbers: past what the JSON reader can scan, so they fail as JSON syntax, located by
      // line and column (the FHIR path is not known at that point).
      Located(Hook("fhir_decimal_1e400", Sub(kBmiValue, R"("valueQuantity":{"value":1e400)"),
                   400)),
      Located(Hook("fhir_decimal_of_400_digits",
                   Sub(kBmiValue, absl::StrCat(R"("valueQuantity":{"value":)",
                                               std::string(400, '9'))),
                   400)),
      Located(Hook("fhir_unsigned_int_of_400_digits",
                   Sub(R"("type":"searchset","total":1,)",
                       absl::StrCat(R"("type":"searchset","total":)", std::string(400, '7'), ",")),
                   400)),
      Located(Hook("expires_in_of_400_digits",
                   Sub(R"("expires_in":300)",
                       absl::StrCat(R"("expires_in":)", std::string(400, '3'))),
                   400)),
      // Large but scannable: the element is named.
      Hook("expires_in_past_int64", Sub(R"("expires_in":300)", R"("expires_in":99999999999999999999)"),
           400, "fhirAuthorization.expires_in"),
      Hook("fhir_unsigned_int_past_int32",
           Sub(R"("type":"searchset","total":1,)", R"("type":"searchset","total":4294967296,)"),
           kAccepted, "prefetch.medicationRequests.total"),

      // 100,000-element arrays.
      Hook("draft_orders_entry_of_100k_numbers",
           Sub(R"("type":"collection","entry":[)",
               absl::StrCat(R"("type":"collection","entry":[)", Repeat("1", 100000), ",")),
           kAccepted, "context.draftOrders.entry"),
      Hook("patient_extension_of_100k_empty_objects",
           Sub(R"("extension":[{"url":"http://hl7.org/fhir/us/core)",
               absl::StrCat(R"("extension":[)", Repeat("{}", 100000),
                            R"(,{"url":"http://hl7.org/fhir/us/core)")),
           kAccepted, "prefetch.patient.extension"),
      Hook("context_selections_of_100k_numbers",
           Sub(R"("encounterId":"enc-1",)",
               absl::StrCat(R"("encounterId":"enc-1","selections":[)", Repeat("0", 100000),
                            "],")),
           400, "context.selections"),

      // 10,000 levels of nesting.
      Hook("body_of_10k_nested_arrays", Fixed(DeepArrays(10000)), 400),
      Hook("draft_orders_nested_10k_deep",
           Sub(R"("type":"collection",)",
               absl::StrCat(R"("type":"collection","meta":)", DeepObjects(10000), ",")),
           400, "context.draftOrders"),
      Hook("prefetch_patient_nested_10k_deep",
           Sub(kBirthDate, absl::StrCat(kBirthDate, R"(,"extension2":)", DeepArrays(10000))),
           400, "prefetch.patient"),
      Hook("unclosed_10k_deep_arrays", Fixed(std::string(10000, '[')), 400),

      // Bodies that are not a CDS Hooks request object at all.
      Hook("empty_body", Fixed(""), 400),
      Hook("body_is_null", Fixed("null"), 400),
      Hook("body_is_an_empty_array", Fixed("[]"), 400),
      Hook("body_is_a_string", Fixed(R"("order-sign")"), 400),
      Hook("body_is_a_number", Fixed("42"), 400),
      Hook("body_is_whitespace", Fixed(" \n\t "), 400),
      Hook("raw_nul_byte_inside_a_string",
           Sub(R"("hook":"order-sign")", std::string("\"hook\":\"order\0-sign\"", 20)), 400),
      Hook("raw_nul_byte_between_tokens",
           Sub(R"("hook":"order-sign")", std::string("\"hook\":\0\"order-sign\"", 20)), 400),
      Hook("utf8_byte_order_mark", [](const std::string& v) { return "\xEF\xBB\xBF" + v; },
      kAccepted),
      Hook("utf16le_body",
           [](const std::string& v) {
             std::string wide;
             for (char c : v) wide.append({c, '\0'});
             return wide;
           },
           400),

      // The patient the service cannot do without: reported absent (null) by the client, which
      // contradicts context.patientId, or not sent with no FHIR server to fetch it from.
      Hook("prefetch_patient_null_without_fhir_server",
           [](const std::string& v) {
             rapidjson::Document request = ParseJson(v);
             request.RemoveMember("fhirServer");
             request.RemoveMember("fhirAuthorization");
             SetPrefetchJson(&request, "patient", "null");
             return ToJson(request);
           },
           400, "prefetch.patient"),
      Hook("prefetch_patient_missing_without_fhir_server",
           [](const std::string& v) {
             rapidjson::Document request = ParseJson(v);
             request.RemoveMember("fhirServer");
             request.RemoveMember("fhirAuthorization");
             RemovePrefetch(&request, "patient");
             return ToJson(request);
           },
           412, "patient"),

      // Wrong Content-Type, method, route and credentials.
      With(Hook("no_content_type", nullptr, 415), [](MalformedCase& c) { c.content_type = ""; }),
      With(Hook("content_type_form_urlencoded", nullptr, 415),
           [](MalformedCase& c) { c.content_type = "application/x-www-form-urlencoded"; }),
      With(Hook("content_type_json_latin1", nullptr, 415),
           [](MalformedCase& c) { c.content_type = "application/json; charset=iso-8859-1"; }),
      With(Hook("put_on_hook", nullptr, 405), [](MalformedCase& c) { c.method = "PUT"; }),
      With(Hook("delete_on_hook", Fixed(""), 405), [](MalformedCase& c) { c.method = "DELETE"; }),
      With(Hook("unknown_hook_service", nullptr, 404),
           [](MalformedCase& c) { c.path = "/cds-services/thrombo-order-sing"; }),
      With(Hook("encoded_path_traversal_service_id", nullptr, 404),
           [](MalformedCase& c) { c.path = "/cds-services/..%2F..%2Fetc%2Fpasswd"; }),
      With(Hook("bearer_token_is_not_a_jwt", nullptr, 401),
           [](MalformedCase& c) { c.auth = Auth::kGarbage; }),

      // Framing faults, written as raw bytes.
      With(Hook("content_length_shorter_than_body", nullptr, 400),
           [](MalformedCase& c) {
             c.raw = [](const std::string& v, const std::string& token) {
               return absl::StrCat("POST ", kOrderSign,
                                   " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Authorization: Bearer ",
                                   token, "\r\nConnection: close\r\nContent-Length: ",
                                   v.size() / 2, "\r\n\r\n", v);
             };
           }),
      With(Hook("content_length_and_chunked_together", nullptr, 400),
           [](MalformedCase& c) {
             c.raw = [](const std::string& v, const std::string& token) {
               return absl::StrCat("POST ", kOrderSign,
                                   " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Authorization: Bearer ",
                                   token, "\r\nContent-Length: 4\r\n"
                                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                                   absl::Hex(v.size()), "\r\n", v, "\r\n0\r\n\r\n");
             };
           }),
      With(Hook("chunk_size_not_hex", nullptr, 400),
           [](MalformedCase& c) {
             c.raw = [](const std::string& v, const std::string& token) {
               return absl::StrCat("POST ", kOrderSign,
                                   " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Authorization: Bearer ",
                                   token, "\r\nTransfer-Encoding: chunked\r\n"
                                   "Connection: close\r\n\r\nzz\r\n",
                                   v, "\r\n0\r\n\r\n");
             };
           }),
      With(Hook("negative_content_length", nullptr, 400),
           [](MalformedCase& c) {
             c.raw = [](const std::string& v, const std::string& token) {
               return absl::StrCat("POST ", kOrderSign,
                                   " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Authorization: Bearer ",
                                   token, "\r\nContent-Length: -1\r\nConnection: close\r\n\r\n",
                                   v);
             };
           }),

      // 50 MiB: refused from its Content-Length, or the connection is closed while it streams.
      Hook("body_of_50_mib",
           [](const std::string& v) { return v + std::string(size_t{50} << 20, ' '); },
           kClosedOr413),
  };
  return cases;
}

std::vector<MalformedCase> FeedbackCases() {
  return {
      Located(Feedback("feedback_truncated", CutAfter(R"({"feedback":[{"card":"1d2c)"), 400)),
      Feedback("feedback_empty_body", Fixed(""), 400),
      Feedback("feedback_body_is_null", Fixed("null"), 400),
      Feedback("feedback_body_is_an_array", Fixed(R"([{"feedback":[]}])"), 400),
      Feedback("feedback_invalid_utf8_in_user_comment",
               Sub("on apixaban already", "on \xC3\x28 apixaban"), 400),
      Feedback("feedback_escaped_lone_surrogate_in_user_comment",
               Sub("on apixaban already", R"(on \udfff apixaban)"), 400),
      Feedback("feedback_is_an_object", Sub(R"({"feedback":[)", R"({"feedback":{},"f":[)"), 400,
               "feedback"),
      Feedback("feedback_entry_is_a_string",
               Sub(R"({"feedback":[)", R"({"feedback":["accepted",)"), 400, "feedback[0]"),
      Feedback("feedback_card_is_a_number",
               Sub(R"("card":"1d2c7c1e-6f5a-4b8e-9a51-2f1f0e1a7b10")", R"("card":12)"), 400,
               "feedback[0].card"),
      Feedback("feedback_outcome_is_a_boolean", Sub(R"("outcome":"accepted")", R"("outcome":true)"),
               400, "feedback[0].outcome"),
      Feedback("feedback_outcome_timestamp_is_a_number",
               Sub(R"("outcomeTimestamp":"2026-11-25T12:01:00Z")", R"("outcomeTimestamp":1764072060)"),
               400, "feedback[0].outcomeTimestamp"),
      Feedback("feedback_accepted_suggestions_is_an_object",
               Sub(R"("acceptedSuggestions":[{"id":"8a0e5c55-6b1d-4e0f-a0a9-3c0b7f3e2d11"}])",
                   R"("acceptedSuggestions":{"id":"8a0e5c55-6b1d-4e0f-a0a9-3c0b7f3e2d11"})"),
               400, "feedback[0].acceptedSuggestions"),
      Feedback("feedback_accepted_suggestion_id_is_a_number",
               Sub(R"({"id":"8a0e5c55-6b1d-4e0f-a0a9-3c0b7f3e2d11"})", R"({"id":8})"), 400,
               "feedback[0].acceptedSuggestions[0].id"),
      Feedback("feedback_override_reason_is_a_string",
               Sub(R"("overrideReason":{"reason":{)", R"("overrideReason":"other","o":{"reason":{)"),
               400, "feedback[1].overrideReason"),
      Feedback("feedback_override_reason_coding_is_an_array",
               Sub(R"("reason":{"system":"https://thrombo.example/override","code":"other",)"
                   R"("display":"Other"})",
                   R"("reason":[])"),
               400, "feedback[1].overrideReason.reason"),
      Feedback("feedback_user_comment_is_a_number",
               Sub(R"("userComment":"on apixaban already")", R"("userComment":7)"), 400,
               "feedback[1].overrideReason.userComment"),
      Feedback("feedback_duplicate_outcome_key",
               Sub(R"("outcome":"overridden")", R"("outcome":"accepted","outcome":"overridden")"),
               400, "feedback[1].outcome"),
      Located(Feedback("feedback_card_is_a_400_digit_number",
               Sub(R"("card":"1d2c7c1e-6f5a-4b8e-9a51-2f1f0e1a7b10")",
                   absl::StrCat(R"("card":)", std::string(400, '1'))),
               400)),
      Feedback("feedback_of_100k_entries",
               Fixed(absl::StrCat(R"({"feedback":[)", Repeat("{}", 100000), "]}")), 400,
               "feedback"),
      Feedback("feedback_nested_10k_deep",
               Fixed(absl::StrCat(R"({"feedback":)", DeepArrays(10000), "}")), 400,
               "feedback[0]"),
      Feedback("feedback_raw_nul_byte",
               Sub(R"("outcome":"accepted")", std::string("\"outcome\":\"acc\0epted\"", 20)),
               400),
      With(Feedback("feedback_text_plain", nullptr, 415),
           [](MalformedCase& c) { c.content_type = "text/plain"; }),
      With(Feedback("feedback_get", Fixed(""), 405), [](MalformedCase& c) { c.method = "GET"; }),
      With(Feedback("feedback_for_unknown_service", nullptr, 404),
           [](MalformedCase& c) { c.path = "/cds-services/no-such-service/feedback"; }),
      With(Feedback("feedback_without_token", nullptr, 401),
           [](MalformedCase& c) { c.auth = Auth::kNone; }),
  };
}

std::vector<MalformedCase> AllCases() {
  std::vector<MalformedCase> cases = HookCases();
  for (MalformedCase& c : FeedbackCases()) cases.push_back(std::move(c));
  return cases;
}

// ---- sending ---------------------------------------------------------------------------------

// Writes `bytes` on a fresh connection, half-closes, and reads until the server closes (or
// `timeout`): for requests whose framing an HTTP client would correct.
ClientResponse SendRawBytes(uint16_t port, const std::string& bytes, absl::Duration timeout) {
  ClientResponse out;
  const int fd = ConnectLoopback(port, static_cast<int>(absl::ToInt64Seconds(timeout)));
  if (fd < 0) {
    out.error = "connect failed";
    return out;
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string received;
  char buffer[8192];
  const absl::Time give_up = absl::Now() + timeout;
  while (absl::Now() < give_up) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  // Only the first response matters: "HTTP/1.1 400 Bad Request\r\n...\r\n\r\n<body>".
  const size_t header_end = received.find("\r\n\r\n");
  int status = 0;
  if (received.size() > 12 && absl::StartsWith(received, "HTTP/1.") &&
      header_end != std::string::npos && absl::SimpleAtoi(received.substr(9, 3), &status)) {
    out.status = status;
    size_t length = received.size() - header_end - 4;
    const std::string header = received.substr(0, header_end);
    const size_t cl = header.find("Content-Length: ");
    size_t declared = 0;
    if (cl != std::string::npos &&
        absl::SimpleAtoi(header.substr(cl + 16, header.find("\r\n", cl) - cl - 16), &declared)) {
      length = std::min(length, declared);
    }
    out.body = received.substr(header_end + 4, length);
  } else {
    out.error = received.empty() ? "connection closed without a response" : "unparsable response";
  }
  return out;
}

std::string CaseName(const ::testing::TestParamInfo<MalformedCase>& info) {
  return info.param.name;
}

class MalformedInputE2eTest : public ::testing::TestWithParam<MalformedCase> {
 protected:
  // One stack for the whole table: the point is that the same server keeps serving.
  static void SetUpTestSuite() {
    StackOptions options;
    options.max_body_bytes = kMaxBodyBytes;
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start(options);
    if (!stack.ok()) {
      std::cerr << "cannot start the stack: " << stack.status() << "\n";
      return;
    }
    stack_ = stack->release();
    valid_hook_ = new std::string(
        ToJson(LoadExample("order-sign-thalidomide.json", stack_->fhir().base_url())));
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    delete valid_hook_;
    valid_hook_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(stack_, nullptr) << "the service stack did not start"; }

  ClientResponse SendCase(const MalformedCase& c) {
    const std::string& valid = c.path == kFeedback || absl::EndsWith(c.path, "/feedback")
                                   ? std::string(kValidFeedback)
                                   : *valid_hook_;
    const std::string body = c.body ? c.body(valid) : valid;
    if (c.raw) {
      return SendRawBytes(stack_->port(), c.raw(valid, stack_->Token(c.path)),
                          absl::Seconds(kClientTimeoutSeconds));
    }
    ClientRequest request;
    request.method = c.method;
    request.target = c.path;
    if (!c.content_type.empty()) request.headers.push_back({"Content-Type", c.content_type});
    if (c.auth == Auth::kValid) {
      request.headers.push_back({"Authorization", "Bearer " + stack_->Token(c.path)});
    } else if (c.auth == Auth::kGarbage) {
      request.headers.push_back({"Authorization", "Bearer not.a.jwt"});
    }
    request.body = body;
    return Send(stack_->port(), request, kClientTimeoutSeconds);
  }

  static std::string StoredFeedback() {
    std::ostringstream rows;
    const absl::Status exported = stack_->store()->ExportFeedbackJsonLines(rows);
    EXPECT_TRUE(exported.ok()) << exported;
    return rows.str();
  }

  static ServiceStack* stack_;
  static std::string* valid_hook_;
};

ServiceStack* MalformedInputE2eTest::stack_ = nullptr;
std::string* MalformedInputE2eTest::valid_hook_ = nullptr;

TEST_P(MalformedInputE2eTest, IsRejectedInBoundedTimeAndTheServerKeepsServing) {
  const MalformedCase& c = GetParam();
  const std::string feedback_before = StoredFeedback();
  const absl::Time start = absl::Now();
  const ClientResponse response = SendCase(c);
  const absl::Duration took = absl::Now() - start;
  EXPECT_LT(took, kAnswerBound) << "no answer (or close) in time: " << response.error;

  if (c.want_status == kClosedOr413) {
    if (response.status != 0) {
      EXPECT_EQ(response.status, 413) << response.body.substr(0, 300);
      EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
    }
  } else if (c.want_status == kAccepted) {
    EXPECT_EQ(response.status, kAccepted) << response.error << " " << response.body.substr(0, 400);
    EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  } else {
    EXPECT_EQ(response.status, c.want_status)
        << response.error << " " << response.body.substr(0, 400);
    EXPECT_THAT(OperationOutcomeProblems(response, c.expression), IsEmpty());
    EXPECT_THAT(response.body, HasSubstr(c.diagnostics));
  }

  // A rejected feedback body stores nothing.
  EXPECT_EQ(StoredFeedback(), feedback_before) << "a rejected feedback body stored rows";

  // The server keeps serving others.
  const ClientResponse next = stack_->PostJson(kOrderSign, *valid_hook_);
  ASSERT_EQ(next.status, 200) << next.error << " " << next.body.substr(0, 300);
  EXPECT_THAT(CdsResponseProblems(next.body), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Table, MalformedInputE2eTest, ::testing::ValuesIn(AllCases()),
                         CaseName);

// The fixtures the table mutates are themselves accepted, so each case's 4xx comes from its
// one fault. A separate stack, because valid feedback is stored.
TEST(MalformedInputFixtures, ValidFixturesAreAccepted) {
  absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  const std::string hook =
      ToJson(LoadExample("order-sign-thalidomide.json", (*stack)->fhir().base_url()));
  const ClientResponse answer = (*stack)->PostJson(kOrderSign, hook);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_THAT(CdsResponseProblems(answer.body), IsEmpty());
  const ClientResponse feedback = (*stack)->PostJson(kFeedback, kValidFeedback);
  EXPECT_EQ(feedback.status, 200) << feedback.body;
  EXPECT_EQ(feedback.body, R"({"stored":2})");
}

}  // namespace
}  // namespace thrombo::e2e
