// Renderings of the sweepable-parameter table (sweep_parameters.h): the `ridesweep params` text and JSON, the
// docs table of docs/formats/request_json.md and the `dimensions` part of the request JSON schema. Tests compare
// the checked-in docs and schema with these, so they cannot drift from the table. Pure functions.
#ifndef RIDESWEEP_SWEEP_PARAMETER_LISTING_H_
#define RIDESWEEP_SWEEP_PARAMETER_LISTING_H_

#include <string>

#include "ridesweep/sim/params.h"

namespace ridesweep::sweep {

// One line per parameter, columns aligned: name, kind, unit, default, allowed values, meaning.
std::string ParametersText(const sim::SimParams& defaults);

// `{"parameters":[{"name":…,"kind":…,"nullable":…,"unit":…,"default":…,"range":…|null,"minimum":…|null,
// "maximum":…|null,"minimum_exclusive":…,"levels":[…],"meaning":…},…]}`, compact, rows in name order.
std::string ParametersJson(const sim::SimParams& defaults);

// The Markdown table of docs/formats/request_json.md (header, separator, one row per parameter; `\n` endings).
std::string ParametersMarkdown(const sim::SimParams& defaults);

// JSON Schema (draft 4) of the request's `dimensions` object: one property per parameter, an array of values of
// the parameter's JSON type or, for numeric parameters, a {"min","max","log","steps"} range object. Ranges are in each description only, so the runtime's message that names the
// dimension, the value and the range reaches the caller (API Gateway would answer a generic text). Unknown names
// pass the schema and get the runtime's `Unsupported dimension` text for the same reason.
std::string DimensionsJsonSchema();

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_PARAMETER_LISTING_H_
