// The one text form of query values that both engines share, so `ridesweep query` prints the same CSV bytes on
// DuckDB and on Athena. The local engine's text is the reference: DuckDB casts a DOUBLE to VARCHAR with the
// shortest round-trip digits, fixed notation for a decimal exponent in [-4, 16) (`0.0001`, `10000000.0`), else
// `d.ddde±XX` (`1e-05`, `1e+16`), and `inf`, `-inf`, `nan`. Athena (Trino) hands DOUBLE values over as Java
// renders them (`1.0E7`, `1.5E-4`, `Infinity`, `NaN`); LocalEngineText re-renders them. Integers, booleans and
// strings already agree. Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_ENGINE_VALUE_TEXT_H_
#define RIDESWEEP_ANALYTICS_ENGINE_VALUE_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace ridesweep::analytics {

// DuckDB's VARCHAR of a DOUBLE (the rules above).
std::string LocalDoubleText(double value);

// LocalDoubleText of the number `text` spells (any strtod-style spelling: 1.0E7, 1e7, Infinity, NaN); nullopt when
// `text` is not a number in full.
std::optional<std::string> CanonicalDoubleText(std::string_view text);

// A remote engine's cell text of SQL type `sql_type` (Athena's ColumnInfo.Type, case-insensitive) as the local
// engine prints it: `double` values through CanonicalDoubleText; anything else, or text that is not a number,
// unchanged.
std::string LocalEngineText(std::string_view sql_type, std::string text);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_ENGINE_VALUE_TEXT_H_
