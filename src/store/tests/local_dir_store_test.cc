// LocalDirStore specifics: the key → file mapping, atomic publication (no partial files, no leftovers), path
// safety and clear errors for an unusable root.
#include "ridesweep/store/local_dir_store.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ridesweep/store/object_key.h"
#include "tests/temp_dir.h"

namespace ridesweep::store {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr std::string_view kType = "application/vnd.apache.parquet";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::unique_ptr<LocalDirStore> OpenOrDie(const fs::path& root) {
  auto store = LocalDirStore::Open(root);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

TEST(LocalDirStoreTest, OpenCreatesTheRootAndItsParents) {
  TempDir dir;
  const fs::path root = dir.path() / "deep" / "sweep-results";
  auto store = OpenOrDie(root);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(fs::is_directory(root));
  EXPECT_EQ(store->root(), root);
  EXPECT_TRUE(fs::is_empty(root)) << "the writability probe must not leave a file behind";
}

TEST(LocalDirStoreTest, KeyMapsToRootSlashKey) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const std::string key = "dataset=trip_data/run_date=2026-02-14/run_id=r/status=success/shard_id=0/point_index=0/"
                          "part-0.parquet";
  ASSERT_TRUE(store->Put(key, "bytes", kType).ok());
  EXPECT_EQ(ReadFile(dir.path() / key), "bytes");
  EXPECT_EQ(store->PathForKey(key), dir.path() / key);
  EXPECT_EQ(dir.Entries().back(), key);
}

TEST(LocalDirStoreTest, WritesLeaveNoTemporaryFiles) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->Put("a/x", "1", kType).ok());
  ASSERT_TRUE(store->Put("a/x", "2", kType).ok());
  ASSERT_TRUE(store->PutIfAbsent("a/y", "3", kType).ok());
  ASSERT_EQ(store->PutIfAbsent("a/y", "4", kType).code(), StatusCode::kConflict);
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{"a", "a/x", "a/y"}));
}

TEST(LocalDirStoreTest, ListIgnoresInFlightTemporaryFiles) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->Put("a/x", "1", kType).ok());
  std::ofstream(dir.path() / "a" / (std::string(kTempFileMarker) + "999-1")) << "partial";
  EXPECT_EQ(store->List("").value(), (std::vector<std::string>{"a/x"}));
}

TEST(LocalDirStoreTest, ReadersNeverSeePartialObjects) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  // Two large, distinguishable versions: a reader seeing a mix or a prefix would catch a torn write.
  const std::string version_a(1 << 20, 'a');
  const std::string version_b(1 << 20 | 7, 'b');
  ASSERT_TRUE(store->Put("hot/key", version_a, kType).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad_reads{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const Result<std::string> got = store->Get("hot/key");
        if (!got.ok() || !(*got == version_a || *got == version_b)) ++bad_reads;
        const Result<std::vector<std::string>> keys = store->List("hot/");
        if (!keys.ok() || *keys != std::vector<std::string>{"hot/key"}) ++bad_reads;
        ++reads;
      }
    });
  }
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(store->Put("hot/key", i % 2 ? version_a : version_b, kType).ok());
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{"hot", "hot/key"}));
}

TEST(LocalDirStoreTest, DotDotKeysCannotEscapeTheRoot) {
  TempDir dir;
  auto store = OpenOrDie(dir.path() / "root");
  EXPECT_EQ(store->Put("../outside", "x", kType).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Put("a/../../outside", "x", kType).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir.path() / "outside"));
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{"root"}));
}

TEST(LocalDirStoreTest, RootThroughARegularFileIsReportedClearly) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "not a folder";
  const fs::path root = dir.path() / "file" / "results";
  const auto store = LocalDirStore::Open(root);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message().rfind("results directory '" + root.string() + "' is not usable: ", 0), 0u)
      << store.status().message();
}

TEST(LocalDirStoreTest, ReadOnlyRootIsRejectedAtOpen) {
  // /proc/self is a folder nobody, root included, can create files in.
  const auto store = LocalDirStore::Open("/proc/self");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("is not usable"), std::string::npos);
}

TEST(LocalDirStoreTest, PutBelowAnExistingObjectFailsPermanently) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->Put("a", "object", kType).ok());
  const Status status = store->Put("a/b", "child", kType);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find((dir.path() / "a").string()), std::string::npos) << status.message();
  EXPECT_EQ(store->Get("a").value(), "object");
}

TEST(LocalDirStoreTest, SecondStoreOnTheSameRootSeesTheObjects) {
  TempDir dir;
  auto writer = OpenOrDie(dir.path());
  ASSERT_TRUE(writer->Put("shared/k", "v", kType).ok());
  auto reader = OpenOrDie(dir.path());
  EXPECT_EQ(reader->Get("shared/k").value(), "v");
  EXPECT_EQ(reader->PutIfAbsent("shared/k", "w", kType).code(), StatusCode::kConflict);
}

TEST(LocalDirStoreTest, OpenForReadingCreatesAndProbesNothing) {
  TempDir dir;
  ASSERT_TRUE(OpenOrDie(dir.path())->Put("a/k", "v", kType).ok());
  // /proc/self cannot be written (see above) but can be read: a read-only results directory.
  auto proc = LocalDirStore::OpenForReading("/proc/self");
  ASSERT_TRUE(proc.ok()) << proc.status().ToString();
  auto reader = LocalDirStore::OpenForReading(dir.path());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Get("a/k").value(), "v");
  EXPECT_EQ((*reader)->List("").value(), std::vector<std::string>{"a/k"});
  EXPECT_EQ(LocalDirStore::OpenForReading(dir.path() / "missing").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));
}

// The PID of a process that has exited (and been reaped).
pid_t DeadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(LocalDirStoreTest, Issue0013TempFilesOfDeadWritersAreRemovedAndLiveOnesStay) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->Put("p/dataset=x/k", "v", kType).ok());
  const fs::path folder = dir.path() / "p" / "dataset=x";
  const std::string marker(kTempFileMarker);
  const fs::path dead = folder / (marker + std::to_string(DeadPid()) + "-7");
  const fs::path live = folder / (marker + std::to_string(::getppid()) + "-3");  // the parent: alive
  const fs::path own = folder / (marker + std::to_string(::getpid()) + "-1");
  const fs::path not_temp = folder / ".rs-tmp-notapid-1";
  const fs::path outside = dir.path() / "other" / (marker + std::to_string(DeadPid()) + "-2");
  fs::create_directories(outside.parent_path());
  for (const fs::path& path : {dead, live, own, not_temp, outside}) std::ofstream(path) << "";

  Result<uint64_t> removed = store->RemoveStaleTempFiles("p");
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 1u);
  EXPECT_FALSE(fs::exists(dead));
  for (const fs::path& path : {live, own, not_temp, outside}) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_EQ(store->Get("p/dataset=x/k").value(), "v");
  EXPECT_EQ(store->RemoveStaleTempFiles("no-such-folder").value(), 0u);
}

}  // namespace
}  // namespace ridesweep::store
