// OverlayStore over a real base: reads fall through, writes and deletions stay in the overlay, the base's files
// are never touched.
#include "ridesweep/store/overlay_store.h"

#include <gtest/gtest.h>

#include "ridesweep/store/local_dir_store.h"
#include "tests/temp_dir.h"

namespace ridesweep::store {
namespace {

constexpr std::string_view kType = "application/octet-stream";

TEST(OverlayStoreTest, ReadsThroughAndNeverWritesTheBase) {
  testing::TempDir dir;
  auto base = LocalDirStore::Open(dir.path() / "results");
  ASSERT_TRUE(base.ok());
  ASSERT_TRUE((*base)->Put("runs/a", "base-a", kType).ok());
  ASSERT_TRUE((*base)->Put("runs/b", "base-b", kType).ok());

  OverlayStore overlay(base->get());
  EXPECT_EQ(overlay.Get("runs/a").value(), "base-a");
  EXPECT_EQ(overlay.PutIfAbsent("runs/a", "x", kType).code(), StatusCode::kConflict);
  ASSERT_TRUE(overlay.Put("runs/a", "new-a", kType).ok());
  ASSERT_TRUE(overlay.Put("runs/c", "new-c", kType).ok());
  ASSERT_TRUE(overlay.Delete("runs/b").ok());

  EXPECT_EQ(overlay.Get("runs/a").value(), "new-a");
  EXPECT_EQ(overlay.Get("runs/b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(overlay.Head("runs/b").value(), ObjectInfo{});
  EXPECT_EQ(overlay.Head("runs/c").value(), (ObjectInfo{.exists = true, .size = 5}));
  EXPECT_EQ(overlay.List("runs/").value(), (std::vector<std::string>{"runs/a", "runs/c"}));
  EXPECT_EQ(overlay.WrittenSizes(), (std::map<std::string, size_t, std::less<>>{{"runs/a", 5}, {"runs/c", 5}}));

  // The base is as it was.
  EXPECT_EQ((*base)->Get("runs/a").value(), "base-a");
  EXPECT_EQ((*base)->Get("runs/b").value(), "base-b");
  EXPECT_EQ((*base)->List("runs/").value(), (std::vector<std::string>{"runs/a", "runs/b"}));
}

}  // namespace
}  // namespace ridesweep::store
