// Reading a run's views once into in-memory tables; see views_in_memory.h.
#include "ridesweep/analytics/views_in_memory.h"

#include <string>

#include "ridesweep/analytics/sql_placeholders.h"

namespace ridesweep::analytics {

Status ReadViewsIntoMemory(QueryEngine& engine, std::string_view database, std::span<const std::string_view> views) {
  if (!IsValidDatabaseName(database)) return InvalidArgumentError("invalid database name: " + std::string(database));
  // Every name first, so a bad one changes nothing. View names follow the database name's rules (lower-case
  // letters, digits, underscores).
  for (const std::string_view view : views) {
    if (!IsValidDatabaseName(view)) return InvalidArgumentError("invalid view name: " + std::string(view));
  }
  for (const std::string_view view : views) {
    const std::string qualified = std::string(database) + "." + std::string(view);
    const std::string table = "temp.main." + std::string(database) + "__" + std::string(view);
    RIDESWEEP_RETURN_IF_ERROR(engine.Run("CREATE TEMP TABLE " + table + " AS SELECT * FROM " + qualified).status());
    RIDESWEEP_RETURN_IF_ERROR(
        engine.Run("CREATE OR REPLACE VIEW " + qualified + " AS SELECT * FROM " + table).status());
  }
  return Status::Ok();
}

}  // namespace ridesweep::analytics
