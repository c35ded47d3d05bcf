// The fixed-scale health score as SQL.
#include "ridesweep/analytics/fixed_scale_health.h"

#include <array>
#include <charconv>

namespace ridesweep::analytics {

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
  const std::string money = Literal(sim::kReferenceMoneyPerRider);
  const std::string wait = Literal(sim::kReferenceWaitMs);
  return "(" + Literal(w.conversion) + " * CAST(conversion_rate AS DOUBLE)" +  //
         " + " + Literal(w.revenue) + " * (CAST(platform_revenue AS DOUBLE) / " + riders + " / " + money + ")" +
         " + " + Literal(w.payouts) + " * (CAST(driver_payouts AS DOUBLE) / " + riders + " / " + money + ")" +
         " + " + Literal(w.match_time) + " * COALESCE(1 - CAST(avg_time_to_match_ms AS DOUBLE) / " + wait + ", 0)" +
         " + " + Literal(w.pickup_time) + " * COALESCE(1 - CAST(avg_time_to_pickup_ms AS DOUBLE) / " + wait +
         ", 0)" + " + (" + Literal(w.abandoned) + ") * (CAST(abandoned_quote_riders AS DOUBLE) / " + riders + "))";
}

}  // namespace ridesweep::analytics
