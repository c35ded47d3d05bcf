// Replaces DuckDB's one-shot `duckdb_zstd::ZSTD_compress` with the same call on a per-thread, reused compression
// context. DuckDB's Parquet writer compresses every page with ZSTD_compress, which builds a fresh context per
// page; building one runs the `cpuid` instruction twice (zstd's BMI2 check), and under a hypervisor `cpuid` traps
// to the host: 6.5 µs each on the development VM, so ~13 µs per page, about half the cost of a one-row file
// (docs/BENCHMARKS.md, "Sweep"). ZSTD_compressCCtx on a reused context compresses at the requested level and
// ignores every other parameter, exactly like ZSTD_compress (zstd.h), so the bytes are unchanged; a store test
// compares them with the library's own ZSTD_compress.
//
// How it takes effect: libduckdb.so exports its bundled zstd with default visibility and calls ZSTD_compress
// through its PLT, so a definition in the executable takes precedence (ELF symbol interposition; the linker
// exports it because the shared library defines the same symbol). If a future libduckdb.so binds the call
// internally or renames the namespace, this definition is simply not used and DuckDB's own runs: slower, same
// bytes. ZstdCompressCallsForTesting() lets a test see which one ran.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "parquet/zstd_context_reuse.h"

namespace duckdb_zstd {

// Declarations matching DuckDB's bundled zstd (third_party/zstd in the DuckDB source tree, namespace duckdb_zstd);
// the mangled names encode every parameter type, so a signature change cannot bind silently.
// NOLINTBEGIN(readability-identifier-naming): zstd's names.
struct ZSTD_CCtx_s;
ZSTD_CCtx_s* ZSTD_createCCtx();
size_t ZSTD_freeCCtx(ZSTD_CCtx_s* cctx);
size_t ZSTD_compressCCtx(ZSTD_CCtx_s* cctx, void* dst, size_t dst_capacity, const void* src, size_t src_size,
                         int compression_level);
// NOLINTEND(readability-identifier-naming)

}  // namespace duckdb_zstd

namespace ridesweep::store::parquet_internal {
namespace {

std::atomic<uint64_t> compress_calls{0};

// zstd's ZSTD_error_memory_allocation, returned as zstd returns errors: (size_t)-code.
constexpr size_t kMemoryAllocationError = static_cast<size_t>(-64);

// One context per thread, created on first use and freed when the thread ends.
class ThreadCompressionContext {
 public:
  ThreadCompressionContext() : cctx_(duckdb_zstd::ZSTD_createCCtx()) {}
  ~ThreadCompressionContext() { duckdb_zstd::ZSTD_freeCCtx(cctx_); }  // accepts nullptr
  ThreadCompressionContext(const ThreadCompressionContext&) = delete;
  ThreadCompressionContext& operator=(const ThreadCompressionContext&) = delete;

  // Null only if allocation failed, now and on this retry.
  duckdb_zstd::ZSTD_CCtx_s* get() {
    if (cctx_ == nullptr) cctx_ = duckdb_zstd::ZSTD_createCCtx();
    return cctx_;
  }

 private:
  duckdb_zstd::ZSTD_CCtx_s* cctx_;
};

ThreadCompressionContext& ThisThreadsContext() {
  thread_local ThreadCompressionContext context;
  return context;
}

}  // namespace

void PrepareThreadCompressionContext() { ThisThreadsContext(); }

uint64_t ZstdCompressCallsForTesting() { return compress_calls.load(std::memory_order_relaxed); }

size_t CompressOnThreadContext(void* dst, size_t dst_capacity, const void* src, size_t src_size,
                               int compression_level) {
  compress_calls.fetch_add(1, std::memory_order_relaxed);
  duckdb_zstd::ZSTD_CCtx_s* cctx = ThisThreadsContext().get();
  if (cctx == nullptr) return kMemoryAllocationError;
  return duckdb_zstd::ZSTD_compressCCtx(cctx, dst, dst_capacity, src, src_size, compression_level);
}

}  // namespace ridesweep::store::parquet_internal

namespace duckdb_zstd {

// Default visibility even under -fvisibility=hidden: the definition must reach the executable's dynamic symbol
// table to take precedence over the library's.
// NOLINTNEXTLINE(readability-identifier-naming): the name must be zstd's.
__attribute__((visibility("default"))) size_t ZSTD_compress(void* dst, size_t dst_capacity, const void* src,
                                                            size_t src_size, int compression_level) {
  return ridesweep::store::parquet_internal::CompressOnThreadContext(dst, dst_capacity, src, src_size,
                                                                     compression_level);
}

}  // namespace duckdb_zstd
