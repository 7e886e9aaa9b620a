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

// A card's suggestions are named by its name and a suffix; hashing the shared prefix once must
// give the uuid of the whole name, whatever its length next to SHA-1's 64-byte blocks (the
// namespace's 16 bytes come first).
TEST(NameBasedUuids, OfASuffixIsTheUuidOfTheWholeName) {
  EXPECT_EQ(NameBasedUuids("hook-1/").Of("prophylaxis"), "766de474-88fd-5bfe-9c74-afe7b03dd8fe");
  EXPECT_EQ(NameBasedUuids("").Of(""), NameBasedUuid(""));
  for (const size_t prefix_bytes : {0, 1, 47, 48, 49, 111, 112, 113, 211, 300}) {
    const NameBasedUuids uuids(std::string(prefix_bytes, 'p'));
    for (const size_t suffix_bytes : {0, 1, 15, 16, 17, 43, 64, 80, 200}) {
      const std::string suffix(suffix_bytes, 's');
      EXPECT_EQ(uuids.Of(suffix), NameBasedUuid(std::string(prefix_bytes, 'p') + suffix))
          << prefix_bytes << " + " << suffix_bytes;
    }
  }
}

}  // namespace
}  // namespace thrombo::service
