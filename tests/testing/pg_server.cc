// Copyright 2026 The Thrombo Authors.
#include "tests/testing/pg_server.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <random>

#include "absl/strings/str_cat.h"

namespace thrombo::testing {

std::string TestPgConninfo() {
  const char* env = std::getenv("THROMBO_TEST_PG");
  return env != nullptr ? env : "";
}

bool PgRequired() {
  const char* required = std::getenv("THROMBO_REQUIRE_PG");
  if (required != nullptr && *required != '\0') return std::string(required) != "0";
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

absl::StatusOr<std::string> PgQuery(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("connect: ", message));
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  std::string value;
  absl::Status error;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) {
    value = PQgetvalue(result, 0, 0);
  } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    error = absl::InternalError(absl::StrCat(sql, ": ", PQerrorMessage(conn)));
  }
  PQclear(result);
  PQfinish(conn);
  if (!error.ok()) return error;
  return value;
}

absl::StatusOr<std::string> CreateTestDatabase(const std::string& prefix) {
  const std::string server = TestPgConninfo();
  if (server.empty()) return absl::FailedPreconditionError("THROMBO_TEST_PG is not set");
  std::random_device random;
  const std::string name = absl::StrCat(prefix, "_", random(), "_", random());
  absl::StatusOr<std::string> created = PgQuery(server, absl::StrCat("CREATE DATABASE ", name));
  if (!created.ok()) return created.status();
  // A later dbname keyword overrides the one in `server`.
  return absl::StrCat(server, " dbname=", name);
}

}  // namespace thrombo::testing
