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
  // One DuckDB thread while copying: parallel inserts from many small files leave each thread's partly filled
  // row groups behind (measured: 2,000 points held 945 MB with the default threads, 229 MB with one, and the copy
  // was faster). The engine's own setting is put back afterwards, whatever happened.
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult current, engine.Run("SELECT current_setting('threads') AS threads"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t threads, current.Int64(0, "threads"));
  RIDESWEEP_RETURN_IF_ERROR(engine.Run("SET threads = 1").status());
  Status copied = Status::Ok();
  for (const std::string_view view : views) {
    const std::string qualified = std::string(database) + "." + std::string(view);
    const std::string table = "temp.main." + std::string(database) + "__" + std::string(view);
    copied = engine.Run("CREATE TEMP TABLE " + table + " AS SELECT * FROM " + qualified).status();
    if (!copied.ok()) break;
    copied = engine.Run("CREATE OR REPLACE VIEW " + qualified + " AS SELECT * FROM " + table).status();
    if (!copied.ok()) break;
  }
  RIDESWEEP_RETURN_IF_ERROR(engine.Run("SET threads = " + std::to_string(threads)).status());
  return copied;
}

}  // namespace ridesweep::analytics
