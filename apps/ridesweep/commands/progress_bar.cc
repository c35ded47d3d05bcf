// Progress display for `ridesweep run`.
#include "commands/progress_bar.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace ridesweep::cli {

ProgressBar::ProgressBar(std::ostream& out, bool interactive)
    : out_(out), interactive_(interactive), start_(std::chrono::steady_clock::now()) {}

std::string ProgressBar::Render(uint64_t done, uint64_t total, uint64_t failed_shards, double seconds) {
  constexpr int kWidth = 24;
  // Total-safe: whatever the counters say (no total yet, or more done than planned), the bar is 0..100% full.
  const double fraction =
      total == 0 ? 1.0 : std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
  const int filled = std::clamp(static_cast<int>(std::lround(fraction * kWidth)), 0, kWidth);
  std::ostringstream s;
  s << "[" << std::string(static_cast<size_t>(filled), '#') << std::string(static_cast<size_t>(kWidth - filled), '-')
    << "] " << done << "/" << total << " points";
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  s << std::fixed << std::setprecision(1) << "  " << rate << " points/s";
  if (rate > 0 && done < total) {
    s << "  ETA " << static_cast<uint64_t>(std::ceil(static_cast<double>(total - done) / rate)) << "s";
  }
  if (failed_shards > 0) s << "  (" << failed_shards << (failed_shards == 1 ? " shard" : " shards") << " failed)";
  return s.str();
}

void ProgressBar::Update(uint64_t done, uint64_t total, uint64_t failed_shards) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (interactive_) {
    out_ << "\r" << Render(done, total, failed_shards, seconds) << "\x1b[K" << std::flush;
    drawn_ = true;
    return;
  }
  const int decile = total == 0 || done >= total ? 10 : static_cast<int>(done * 10 / total);
  if (decile != last_decile_) {
    last_decile_ = decile;
    out_ << Render(done, total, failed_shards, seconds) << "\n" << std::flush;
  }
}

void ProgressBar::Finish() {
  if (interactive_ && drawn_) out_ << "\n" << std::flush;
}

}  // namespace ridesweep::cli
