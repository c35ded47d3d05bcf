// Spatial index over the hexagonal grid (spec/simulation.md §3.7).
#include "geo/spatial_index.h"

#include "ridesweep/base/check.h"

namespace ridesweep::sim {

void IndexSet::Insert(uint32_t id) {
  EnsureId(id);
  RIDESWEEP_DCHECK(pos_[id] == kAbsent) << "duplicate insert " << id;
  pos_[id] = static_cast<uint32_t>(items_.size());
  items_.push_back(id);
}

void IndexSet::Erase(uint32_t id) {
  RIDESWEEP_DCHECK(Contains(id)) << "erase of absent " << id;
  const uint32_t at = pos_[id];
  const uint32_t last = items_.back();
  items_[at] = last;
  pos_[last] = at;
  items_.pop_back();
  pos_[id] = kAbsent;
}

namespace {
// Paths between in-box cells can round one cell beyond the box; agents never go further.
constexpr int32_t kMargin = 3;
}  // namespace

const std::vector<uint32_t> SpatialIndex::kNoDrivers;

SpatialIndex::SpatialIndex(const HexGrid& grid) {
  grid.AxialRange(kMargin, &q_min_, &q_max_, &r_min_, &r_max_);
  q_span_ = static_cast<size_t>(q_max_ - q_min_ + 1);
  slot_.assign(q_span_ * static_cast<size_t>(r_max_ - r_min_ + 1), -1);
}

size_t SpatialIndex::DenseIndex(Cell c) const {
  RIDESWEEP_CHECK(Covers(c)) << "cell (" << c.q << "," << c.r << ") outside the index";
  return static_cast<size_t>(c.r - r_min_) * q_span_ + static_cast<size_t>(c.q - q_min_);
}

SpatialIndex::CellData& SpatialIndex::Touch(Cell c) {
  int32_t& slot = slot_[DenseIndex(c)];
  if (slot < 0) {
    slot = static_cast<int32_t>(cells_.size());
    cells_.emplace_back();
  }
  return cells_[static_cast<size_t>(slot)];
}

void SpatialIndex::AddIdleDriver(uint32_t driver, Cell cell) {
  CellData& data = Touch(cell);
  if (idle_pos_in_cell_.size() <= driver) idle_pos_in_cell_.resize(static_cast<size_t>(driver) + 1);
  idle_pos_in_cell_[driver] = static_cast<uint32_t>(data.idle.size());
  data.idle.push_back(driver);
  idle_all_.Insert(driver);
}

void SpatialIndex::RemoveIdleDriver(uint32_t driver, Cell cell) {
  CellData& data = Touch(cell);
  const uint32_t at = idle_pos_in_cell_[driver];
  RIDESWEEP_DCHECK(at < data.idle.size() && data.idle[at] == driver) << "idle driver not in its cell";
  const uint32_t last = data.idle.back();
  data.idle[at] = last;
  idle_pos_in_cell_[last] = at;
  data.idle.pop_back();
  idle_all_.Erase(driver);
}

void SpatialIndex::AddActiveDriver(Cell cell) { ++Touch(cell).active_drivers; }
void SpatialIndex::RemoveActiveDriver(Cell cell) {
  CellData& data = Touch(cell);
  RIDESWEEP_DCHECK(data.active_drivers > 0);
  --data.active_drivers;
}

void SpatialIndex::AddOpenRider(uint32_t rider, Cell cell) {
  ++Touch(cell).open_riders;
  open_all_.Insert(rider);
}

void SpatialIndex::RemoveOpenRider(uint32_t rider, Cell cell) {
  CellData& data = Touch(cell);
  RIDESWEEP_DCHECK(data.open_riders > 0);
  --data.open_riders;
  open_all_.Erase(rider);
}

}  // namespace ridesweep::sim
