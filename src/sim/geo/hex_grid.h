// HexGrid is the project's own pointy-top hexagonal grid on a local tangent plane (spec/simulation.md §3):
// projection of the spawn box, point -> cell, centroids, 64-bit cell ids, grid distance, disks, paths and
// planar distances. Cells are axial (q, r). Immutable after construction except for a cache of disk offsets,
// so one grid serves one run. See docs/formats/hex_grid.md.
#ifndef RIDESWEEP_SIM_GEO_HEX_GRID_H_
#define RIDESWEEP_SIM_GEO_HEX_GRID_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <vector>

namespace ridesweep::sim {

struct Cell {
  int32_t q = 0;
  int32_t r = 0;
  friend bool operator==(const Cell&, const Cell&) = default;
};

struct LatLng {
  double lat = 0.0;
  double lng = 0.0;
};

struct PlanePoint {
  double x = 0.0;  // km east of the box centre.
  double y = 0.0;  // km north of the box centre.
};

struct GeoBounds {
  double lat_min = 52.34;
  double lat_max = 52.68;
  double lng_min = 13.08;
  double lng_max = 13.76;
};

inline constexpr double kCellSpacingKm = 0.330;  // Centre-to-centre distance of neighbours.
inline constexpr double kEarthRadiusKm = 6371.0;
inline constexpr double kSqrt3 = 1.7320508075688772;

// Directions D0..D5: E, NE, NW, W, SW, SE.
inline constexpr Cell kHexDirections[6] = {{1, 0}, {0, 1}, {-1, 1}, {-1, 0}, {0, -1}, {1, -1}};

// Grid distance (number of steps).
inline uint32_t HexDistance(Cell a, Cell b) {
  const int64_t dq = static_cast<int64_t>(a.q) - b.q;
  const int64_t dr = static_cast<int64_t>(a.r) - b.r;
  return static_cast<uint32_t>((std::llabs(dq) + std::llabs(dr) + std::llabs(dq + dr)) / 2);
}

// Planar centre of a cell relative to (lat0, lng0).
inline PlanePoint CellCentre(Cell c) {
  return {kCellSpacingKm * (c.q + c.r / 2.0), kCellSpacingKm * (kSqrt3 / 2.0) * c.r};
}

// Euclidean distance between the two centres on the plane, km.
inline double DistKm(Cell a, Cell b) {
  const double dq = static_cast<double>(a.q - b.q);
  const double dr = static_cast<double>(a.r - b.r);
  const double dx = kCellSpacingKm * (dq + dr / 2.0);
  const double dy = kCellSpacingKm * (kSqrt3 / 2.0) * dr;
  return std::sqrt(dx * dx + dy * dy);
}

// Cube rounding of fractional axial coordinates (the point -> cell rule of §3.3).
Cell RoundAxial(double q_f, double r_f);

// DO NOT CHANGE: cell ids are stored in trip_data. (9 << 56) | ((q + 2^27) << 28) | (r + 2^27).
inline int64_t CellId(Cell c) {
  const uint64_t q = static_cast<uint64_t>(static_cast<int64_t>(c.q) + (int64_t{1} << 27));
  const uint64_t r = static_cast<uint64_t>(static_cast<int64_t>(c.r) + (int64_t{1} << 27));
  return static_cast<int64_t>((uint64_t{9} << 56) | (q << 28) | r);
}
inline Cell CellFromId(int64_t id) {
  const uint64_t u = static_cast<uint64_t>(id);
  const int64_t q = static_cast<int64_t>((u >> 28) & ((uint64_t{1} << 28) - 1)) - (int64_t{1} << 27);
  const int64_t r = static_cast<int64_t>(u & ((uint64_t{1} << 28) - 1)) - (int64_t{1} << 27);
  return {static_cast<int32_t>(q), static_cast<int32_t>(r)};
}

// Number of cells in disk(c, k): 1 + 3k(k+1).
inline uint64_t DiskSize(uint64_t k) { return 1 + 3 * k * (k + 1); }

// Appends path(a, b): distance + 1 cells from a to b, each adjacent to the next.
void AppendPath(Cell a, Cell b, std::vector<Cell>* out);
// The i-th cell of path(a, b) with n = distance(a, b) (0 <= i <= n), without materialising the path.
Cell PathCell(Cell a, Cell b, uint32_t n, uint32_t i);

class HexGrid {
 public:
  // REQUIRES: bounds valid (§3.1).
  explicit HexGrid(const GeoBounds& bounds);

  const GeoBounds& bounds() const { return bounds_; }
  PlanePoint Project(LatLng p) const;
  LatLng Unproject(PlanePoint p) const;
  Cell CellAt(LatLng p) const;
  Cell CellAtPlane(PlanePoint p) const;
  LatLng Centroid(Cell c) const { return Unproject(CellCentre(c)); }
  // The cell's centre lies inside the projected box (edges included).
  bool CentreInBounds(Cell c) const;
  // The smallest (q, r) rectangle holding every cell whose centre or any box point maps to, plus a margin.
  void AxialRange(int32_t margin, int32_t* q_min, int32_t* q_max, int32_t* r_min, int32_t* r_max) const;

  // Offsets of disk(0, k) in §3.3 order (centre, then rings). Cached per k; ring j occupies
  // [DiskSize(j - 1), DiskSize(j)).
  const std::vector<Cell>& DiskOffsets(uint32_t k);
  // Appends disk(c, k) in §3.3 order.
  void AppendDisk(Cell c, uint32_t k, std::vector<Cell>* out);

 private:
  GeoBounds bounds_;
  double lat0_;
  double lng0_;
  double cos_lat0_;
  double x_min_, x_max_, y_min_, y_max_;
  std::deque<std::vector<Cell>> disk_cache_;  // deque: references stay valid as k grows.
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_GEO_HEX_GRID_H_
