// The two speed settings of ParquetDatasetEncoder (docs/BENCHMARKS.md, "Sweep"): DuckDB's per-page
// ZSTD_compress runs on a reused per-thread context (parquet/zstd_context_reuse.cc), which must be in effect and
// must give exactly the bytes of zstd's one-shot call; and no column gets a dictionary page
// (DICTIONARY_SIZE_LIMIT 0), while every page stays ZSTD-compressed.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "parquet/zstd_context_reuse.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "tests/parquet_reader.h"

// NOLINTBEGIN(readability-identifier-naming): zstd's names.
namespace duckdb_zstd {
// The definition linked into this binary: ours (zstd_context_reuse.cc).
size_t ZSTD_compress(void* dst, size_t dst_capacity, const void* src, size_t src_size, int compression_level);
size_t ZSTD_compressBound(size_t src_size);
unsigned ZSTD_isError(size_t code);
}  // namespace duckdb_zstd
// NOLINTEND(readability-identifier-naming)

namespace ridesweep::store {
namespace {

using CompressFn = size_t (*)(void*, size_t, const void*, size_t, int);

std::unique_ptr<ParquetDatasetEncoder> MakeEncoder() {
  auto encoder = ParquetDatasetEncoder::Create();
  EXPECT_TRUE(encoder.ok()) << encoder.status().ToString();
  return encoder.ok() ? std::move(encoder).value() : nullptr;
}

std::string Compress(CompressFn compress, const std::string& input, int level) {
  std::string out(duckdb_zstd::ZSTD_compressBound(input.size()), '\0');
  const size_t size = compress(out.data(), out.size(), input.data(), input.size(), level);
  EXPECT_FALSE(duckdb_zstd::ZSTD_isError(size)) << "level " << level;
  out.resize(duckdb_zstd::ZSTD_isError(size) ? 0 : size);
  return out;
}

// Inputs shaped like the pages DuckDB compresses: empty, one value, slowly rising counters, noise.
std::vector<std::string> SamplePages() {
  std::vector<std::string> pages = {std::string(), std::string("\x2a\0\0\0\0\0\0\0", 8)};
  std::string counters;
  for (int64_t i = 0; i < 13'469; ++i) {
    const int64_t value = 1'000 * i + (i % 7);
    counters.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  pages.push_back(counters);
  std::string noise;
  uint64_t state = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 65'536; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    noise.push_back(static_cast<char>(state & 0x3f));  // 6 random bits per byte: compressible, not trivially
  }
  pages.push_back(noise);
  return pages;
}

TEST(ZstdContextReuseTest, GivesExactlyTheBytesOfZstdsOneShotCompress) {
  // RTLD_NEXT skips this executable and finds the definition in libduckdb.so: zstd's own ZSTD_compress.
  auto original = reinterpret_cast<CompressFn>(::dlsym(RTLD_NEXT, "_ZN11duckdb_zstd13ZSTD_compressEPvmPKvmi"));
  ASSERT_NE(original, nullptr) << "libduckdb.so no longer exports duckdb_zstd::ZSTD_compress";
  const CompressFn reused = &duckdb_zstd::ZSTD_compress;
  ASSERT_NE(original, reused);
  const uint64_t calls_before = parquet_internal::ZstdCompressCallsForTesting();
  for (const int level : {3, 1, 9}) {  // 3 is DuckDB's default; the context is reused across levels too
    for (const std::string& page : SamplePages()) {
      const std::string expected = Compress(original, page, level);
      ASSERT_FALSE(expected.empty());
      EXPECT_EQ(Compress(reused, page, level), expected) << "level " << level << ", " << page.size() << " bytes";
      EXPECT_EQ(Compress(reused, page, level), expected) << "second use of the same context";
    }
  }
  EXPECT_EQ(parquet_internal::ZstdCompressCallsForTesting() - calls_before, 3u * 4u * 2u);
}

TEST(ZstdContextReuseTest, DuckDbsParquetWriterCompressesThroughTheReusedContext) {
  auto encoder = MakeEncoder();
  ASSERT_NE(encoder, nullptr);
  const uint64_t calls_before = parquet_internal::ZstdCompressCallsForTesting();
  ASSERT_TRUE(encoder->EncodeShardMetrics(sim::PointMetrics{}).ok());
  // One data page per column at least: 25 columns.
  EXPECT_GE(parquet_internal::ZstdCompressCallsForTesting() - calls_before, 25u);
}

TEST(ParquetDictionaryTest, ColumnsArePlainEncodedWithoutDictionaryPages) {
  auto encoder = MakeEncoder();
  ASSERT_NE(encoder, nullptr);
  // Few distinct values: DuckDB would pick dictionary encoding for every column if allowed.
  std::vector<sim::SnapshotRow> snapshots(5'000);
  for (size_t i = 0; i < snapshots.size(); ++i) {
    snapshots[i].timestamp_ms = static_cast<int64_t>(i) * 1'000;
    snapshots[i].riders_waiting = static_cast<int64_t>(i % 3);
    snapshots[i].drivers_idle = 50;
  }
  auto bytes = encoder->EncodeSnapshotCounts(snapshots);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  testing::ParquetReader reader;
  const std::string file = reader.Load(*bytes);
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM parquet_metadata(" + file + ")"), "15");
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM parquet_metadata(" + file +
                          ") WHERE dictionary_page_offset IS NOT "
                          "NULL OR list_contains(string_split(encodings, ','), 'PLAIN_DICTIONARY') OR "
                          "list_contains(string_split(encodings, ','), 'RLE_DICTIONARY')"),
            "0");
  EXPECT_EQ(reader.Scalar("SELECT string_agg(DISTINCT compression) FROM parquet_metadata(" + file + ")"), "ZSTD");
  EXPECT_EQ(reader.Scalar("SELECT sum(riders_waiting) FROM read_parquet(" + file + ")"), "4999");
}

}  // namespace
}  // namespace ridesweep::store
