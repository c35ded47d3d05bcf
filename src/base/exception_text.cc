// See exception_text.h.
#include "ridesweep/base/exception_text.h"

#include <utility>

namespace ridesweep {

std::string ExceptionText(std::exception_ptr e) {
  try {
    std::rethrow_exception(std::move(e));
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace ridesweep
