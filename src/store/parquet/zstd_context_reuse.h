// A per-thread, reused ZSTD compression context for DuckDB's Parquet writer (zstd_context_reuse.cc explains the
// why and the how). Private to the store layer.
#ifndef RIDESWEEP_STORE_PARQUET_ZSTD_CONTEXT_REUSE_H_
#define RIDESWEEP_STORE_PARQUET_ZSTD_CONTEXT_REUSE_H_

#include <cstddef>
#include <cstdint>

namespace ridesweep::store::parquet_internal {

// Creates the calling thread's context now rather than at its first page. The encoder calls it when it opens,
// which also keeps zstd_context_reuse.o in every link that uses the encoder (an archive member is linked only
// when something refers to it).
void PrepareThreadCompressionContext();

// What duckdb_zstd::ZSTD_compress does here: ZSTD_compressCCtx on the calling thread's context. Returns the
// compressed size or a zstd error code, like ZSTD_compress.
size_t CompressOnThreadContext(void* dst, size_t dst_capacity, const void* src, size_t src_size, int compression_level);

// How many pages went through the reused context in this process (all threads). Stays 0 when DuckDB's own
// ZSTD_compress runs instead, i.e. when the interposition did not take effect.
uint64_t ZstdCompressCallsForTesting();

}  // namespace ridesweep::store::parquet_internal

#endif  // RIDESWEEP_STORE_PARQUET_ZSTD_CONTEXT_REUSE_H_
