// The text of a caught exception, for the one top-level catch of a handler, a worker or the runtime loop:
// what() of a std::exception, "unknown exception" for anything else. Never throws.
#ifndef RIDESWEEP_BASE_EXCEPTION_TEXT_H_
#define RIDESWEEP_BASE_EXCEPTION_TEXT_H_

#include <exception>
#include <string>

namespace ridesweep {

std::string ExceptionText(std::exception_ptr e);

// The exception being handled; call only inside a catch block.
inline std::string CurrentExceptionText() { return ExceptionText(std::current_exception()); }

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_EXCEPTION_TEXT_H_
