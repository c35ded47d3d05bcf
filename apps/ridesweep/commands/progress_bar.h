// ProgressBar draws "points done/total, rate, ETA" on stderr: redrawn in place on a terminal, and as a line per
// 10% otherwise (CI logs). Not thread-safe; call from one thread.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_PROGRESS_BAR_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_PROGRESS_BAR_H_

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace ridesweep::cli {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool interactive);
  void Update(uint64_t done, uint64_t total, uint64_t failed_shards);
  // Ends the bar (newline on a terminal).
  void Finish();

  // The text of one update, e.g. "[#####-----]  12/24 points  3.1 points/s  ETA 4s  (1 shard failed)".
  static std::string Render(uint64_t done, uint64_t total, uint64_t failed_shards, double seconds);

 private:
  std::ostream& out_;
  bool interactive_;
  std::chrono::steady_clock::time_point start_;
  int last_decile_ = -1;
  bool drawn_ = false;
};

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_PROGRESS_BAR_H_
