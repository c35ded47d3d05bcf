// Hexagonal grid geometry (spec/simulation.md §3).
#include "geo/hex_grid.h"

#include <algorithm>
#include <numbers>

namespace ridesweep::sim {
namespace {

double Rad(double deg) { return deg * (std::numbers::pi / 180.0); }
double Deg(double rad) { return rad * (180.0 / std::numbers::pi); }

}  // namespace

// std::round (half away from zero) without the libm call: truncation through int64 is exact for grid-sized
// values, and x - trunc(x) is exactly representable, so the result is bit-identical.
inline double RoundHalfAwayFromZero(double x) {
  const double t = static_cast<double>(static_cast<int64_t>(x));
  const double frac = x - t;
  if (frac >= 0.5) return t + 1.0;
  if (frac <= -0.5) return t - 1.0;
  return t;
}

Cell RoundAxial(double q_f, double r_f) {
  const double s_f = -q_f - r_f;
  double q = RoundHalfAwayFromZero(q_f);
  double r = RoundHalfAwayFromZero(r_f);
  const double s = RoundHalfAwayFromZero(s_f);
  const double dq = std::fabs(q - q_f);
  const double dr = std::fabs(r - r_f);
  const double ds = std::fabs(s - s_f);
  if (dq > dr && dq > ds) {
    q = -r - s;
  } else if (dr > ds) {
    r = -q - s;
  }
  return {static_cast<int32_t>(q), static_cast<int32_t>(r)};
}

Cell PathCell(Cell a, Cell b, uint32_t n, uint32_t i) {
  if (n == 0) return a;
  const double t = static_cast<double>(i) / static_cast<double>(n);
  return RoundAxial(a.q + (b.q - a.q) * t + 1e-6, a.r + (b.r - a.r) * t + 2e-6);
}

void AppendPath(Cell a, Cell b, std::vector<Cell>* out) {
  const uint32_t n = HexDistance(a, b);
  for (uint32_t i = 0; i <= n; ++i) out->push_back(PathCell(a, b, n, i));
}

HexGrid::HexGrid(const GeoBounds& bounds)
    : bounds_(bounds),
      lat0_((bounds.lat_min + bounds.lat_max) / 2.0),
      lng0_((bounds.lng_min + bounds.lng_max) / 2.0),
      cos_lat0_(std::cos(Rad(lat0_))) {
  const PlanePoint lo = Project({bounds.lat_min, bounds.lng_min});
  const PlanePoint hi = Project({bounds.lat_max, bounds.lng_max});
  x_min_ = lo.x;
  y_min_ = lo.y;
  x_max_ = hi.x;
  y_max_ = hi.y;
}

PlanePoint HexGrid::Project(LatLng p) const {
  return {kEarthRadiusKm * Rad(p.lng - lng0_) * cos_lat0_, kEarthRadiusKm * Rad(p.lat - lat0_)};
}

LatLng HexGrid::Unproject(PlanePoint p) const {
  return {lat0_ + Deg(p.y / kEarthRadiusKm), lng0_ + Deg(p.x / (kEarthRadiusKm * cos_lat0_))};
}

Cell HexGrid::CellAtPlane(PlanePoint p) const {
  const double r_f = 2.0 * p.y / (kSqrt3 * kCellSpacingKm);
  const double q_f = p.x / kCellSpacingKm - r_f / 2.0;
  return RoundAxial(q_f, r_f);
}

Cell HexGrid::CellAt(LatLng p) const { return CellAtPlane(Project(p)); }

bool HexGrid::CentreInBounds(Cell c) const {
  const PlanePoint p = CellCentre(c);
  return p.x >= x_min_ && p.x <= x_max_ && p.y >= y_min_ && p.y <= y_max_;
}

void HexGrid::AxialRange(int32_t margin, int32_t* q_min, int32_t* q_max, int32_t* r_min, int32_t* r_max) const {
  int32_t qa = INT32_MAX, qb = INT32_MIN, ra = INT32_MAX, rb = INT32_MIN;
  for (PlanePoint corner : {PlanePoint{x_min_, y_min_}, PlanePoint{x_min_, y_max_}, PlanePoint{x_max_, y_min_},
                            PlanePoint{x_max_, y_max_}}) {
    const Cell c = CellAtPlane(corner);
    qa = std::min(qa, c.q);
    qb = std::max(qb, c.q);
    ra = std::min(ra, c.r);
    rb = std::max(rb, c.r);
  }
  *q_min = qa - margin;
  *q_max = qb + margin;
  *r_min = ra - margin;
  *r_max = rb + margin;
}

const std::vector<Cell>& HexGrid::DiskOffsets(uint32_t k) {
  if (disk_cache_.size() <= k) disk_cache_.resize(k + 1);
  std::vector<Cell>& offsets = disk_cache_[k];
  if (offsets.empty()) {
    offsets.reserve(DiskSize(k));
    offsets.push_back({0, 0});
    for (int32_t j = 1; j <= static_cast<int32_t>(k); ++j) {
      Cell cur{kHexDirections[4].q * j, kHexDirections[4].r * j};
      for (const Cell& dir : kHexDirections) {
        for (int32_t step = 0; step < j; ++step) {
          offsets.push_back(cur);
          cur = {cur.q + dir.q, cur.r + dir.r};
        }
      }
    }
  }
  return offsets;
}

void HexGrid::AppendDisk(Cell c, uint32_t k, std::vector<Cell>* out) {
  for (const Cell& o : DiskOffsets(k)) out->push_back({c.q + o.q, c.r + o.r});
}

}  // namespace ridesweep::sim
