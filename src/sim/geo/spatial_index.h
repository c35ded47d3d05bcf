// SpatialIndex answers "who is in this cell" for one run (spec/simulation.md §3.7): per cell, the Idle
// drivers, the count of non-OffDuty drivers and the count of Browsing/Waiting riders; plus run-wide lists of
// Idle drivers and open riders for brute-force scans. Updated synchronously at each mutation by the engine;
// performance only, every query returns what a full scan would. Cells outside the box's axial range (plus a
// margin) cannot hold agents. Not thread-safe.
#ifndef RIDESWEEP_SIM_GEO_SPATIAL_INDEX_H_
#define RIDESWEEP_SIM_GEO_SPATIAL_INDEX_H_

#include <cstdint>
#include <vector>

#include "geo/hex_grid.h"

namespace ridesweep::sim {

// A set of entity indices with O(1) insert/erase (swap-remove); iteration order is unspecified.
class IndexSet {
 public:
  void Reserve(size_t n) { items_.reserve(n); }
  // REQUIRES: id < positions' capacity managed by the caller via EnsureId().
  void EnsureId(uint32_t id) {
    if (pos_.size() <= id) pos_.resize(static_cast<size_t>(id) + 1, kAbsent);
  }
  bool Contains(uint32_t id) const { return id < pos_.size() && pos_[id] != kAbsent; }
  void Insert(uint32_t id);
  void Erase(uint32_t id);
  const std::vector<uint32_t>& items() const { return items_; }
  size_t size() const { return items_.size(); }

 private:
  static constexpr uint32_t kAbsent = UINT32_MAX;
  std::vector<uint32_t> items_;
  std::vector<uint32_t> pos_;
};

class SpatialIndex {
 public:
  explicit SpatialIndex(const HexGrid& grid);

  // Driver transitions. `cell` is the driver's current cell.
  void AddIdleDriver(uint32_t driver, Cell cell);
  void RemoveIdleDriver(uint32_t driver, Cell cell);
  void AddActiveDriver(Cell cell);     // A non-OffDuty driver enters the cell.
  void RemoveActiveDriver(Cell cell);  // ... leaves it.
  void AddOpenRider(uint32_t rider, Cell cell);  // Browsing or Waiting.
  void RemoveOpenRider(uint32_t rider, Cell cell);

  // Read paths are inline: they run for every cell of every disk walk. Cells outside the index hold nobody.
  const std::vector<uint32_t>& IdleDriversIn(Cell cell) const {
    const CellData* data = Find(cell);
    return data ? data->idle : kNoDrivers;
  }
  uint32_t ActiveDriversIn(Cell cell) const {
    const CellData* data = Find(cell);
    return data ? data->active_drivers : 0;
  }
  uint32_t OpenRidersIn(Cell cell) const {
    const CellData* data = Find(cell);
    return data ? data->open_riders : 0;
  }
  const IndexSet& idle_drivers() const { return idle_all_; }
  const IndexSet& open_riders() const { return open_all_; }
  bool Covers(Cell c) const { return c.q >= q_min_ && c.q <= q_max_ && c.r >= r_min_ && c.r <= r_max_; }

 private:
  struct CellData {
    std::vector<uint32_t> idle;
    uint32_t active_drivers = 0;
    uint32_t open_riders = 0;
  };
  // Slot of a cell in cells_, allocating on first touch. REQUIRES: Covers(cell).
  CellData& Touch(Cell cell);
  const CellData* Find(Cell cell) const {
    if (!Covers(cell)) return nullptr;
    const int32_t slot = slot_[static_cast<size_t>(cell.r - r_min_) * q_span_ + static_cast<size_t>(cell.q - q_min_)];
    return slot < 0 ? nullptr : &cells_[static_cast<size_t>(slot)];
  }
  size_t DenseIndex(Cell cell) const;
  static const std::vector<uint32_t> kNoDrivers;

  int32_t q_min_, q_max_, r_min_, r_max_;
  size_t q_span_;
  std::vector<int32_t> slot_;  // Dense (q, r) -> index in cells_, -1 if untouched.
  std::vector<CellData> cells_;
  IndexSet idle_all_;
  IndexSet open_all_;
  // Position of each idle driver inside its cell's list.
  std::vector<uint32_t> idle_pos_in_cell_;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_GEO_SPATIAL_INDEX_H_
