#include "service/cds/uuid.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service {
namespace {

TEST(NameBasedUuid, IsAVersion5UuidStableForOneName) {
  const std::string a = NameBasedUuid("hook-1/prophylaxis");
  EXPECT_THAT(a, ::testing::MatchesRegex(
                     "[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_EQ(a, NameBasedUuid("hook-1/prophylaxis"));
  EXPECT_NE(a, NameBasedUuid("hook-2/prophylaxis"));
  EXPECT_NE(a, NameBasedUuid("hook-1/esa"));
}

// RFC 4122 section 4.3 in this service's namespace, checked against an independent
// implementation (Python's uuid.uuid5 with namespace 6c1f7a52-3d0e-4b8e-9a51-2f6f0b9c7d41): the
// uuids clients already hold for a card must not change when the hashing code does.
TEST(NameBasedUuid, MatchesRfc4122Version5) {
  EXPECT_EQ(NameBasedUuid("hook-1/prophylaxis"), "766de474-88fd-5bfe-9c74-afe7b03dd8fe");
  EXPECT_EQ(NameBasedUuid(""), "dc761763-4e5b-584b-8e83-48ebf7a3d1ea");
  EXPECT_EQ(
      NameBasedUuid("patient/p1/imid/MedicationRequest/m1/lenalidomide/prophylaxis/ANTICOAGULANT"),
      "f5447229-63d8-5e82-842a-6c57a2a2bede");
}

}  // namespace
}  // namespace thrombo::service
