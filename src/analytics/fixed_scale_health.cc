// Health components on fixed reference scales.
#include "ridesweep/analytics/fixed_scale_health.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace ridesweep::analytics {

sim::HealthComponents FixedScaleHealth(const sim::PointMetrics& m, const sim::HealthWeights& w) {
  const double riders = static_cast<double>(std::max<int64_t>(m.total_riders, 1));
  sim::HealthComponents c;
  c.conversion = m.conversion_rate;
  c.revenue = m.platform_revenue / riders / kReferenceMoneyPerRider;
  c.payouts = m.driver_payouts / riders / kReferenceMoneyPerRider;
  c.match_time = m.avg_time_to_match_ms ? 1.0 - *m.avg_time_to_match_ms / kReferenceWaitMs : 0.0;
  c.pickup_time = m.avg_time_to_pickup_ms ? 1.0 - *m.avg_time_to_pickup_ms / kReferenceWaitMs : 0.0;
  c.abandoned = static_cast<double>(m.abandoned_quote_riders) / riders;
  c.score = w.conversion * c.conversion + w.revenue * c.revenue + w.payouts * c.payouts +
            w.match_time * c.match_time + w.pickup_time * c.pickup_time + w.abandoned * c.abandoned;
  return c;
}

namespace {

// Shortest round-trip text of a finite double, a valid SQL numeric literal (1e-05 style exponents included).
std::string Literal(double value) {
  std::array<char, 32> text{};
  const auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), value);
  return std::string(text.data(), end);
}

}  // namespace

std::string FixedScaleHealthSql(const sim::HealthWeights& w) {
  const std::string riders = "CAST(GREATEST(total_riders, 1) AS DOUBLE)";
  const std::string money = Literal(kReferenceMoneyPerRider);
  const std::string wait = Literal(kReferenceWaitMs);
  return "(" + Literal(w.conversion) + " * CAST(conversion_rate AS DOUBLE)" +  //
         " + " + Literal(w.revenue) + " * (CAST(platform_revenue AS DOUBLE) / " + riders + " / " + money + ")" +
         " + " + Literal(w.payouts) + " * (CAST(driver_payouts AS DOUBLE) / " + riders + " / " + money + ")" +
         " + " + Literal(w.match_time) + " * COALESCE(1 - CAST(avg_time_to_match_ms AS DOUBLE) / " + wait + ", 0)" +
         " + " + Literal(w.pickup_time) + " * COALESCE(1 - CAST(avg_time_to_pickup_ms AS DOUBLE) / " + wait +
         ", 0)" + " + (" + Literal(w.abandoned) + ") * (CAST(abandoned_quote_riders AS DOUBLE) / " + riders + "))";
}

}  // namespace ridesweep::analytics
