// The ObjectStore interface lives in base (ridesweep/base/object_store.h) so the sweep worker can write through
// it; the store layer provides the implementations and keeps these names for them.
#ifndef RIDESWEEP_STORE_OBJECT_STORE_H_
#define RIDESWEEP_STORE_OBJECT_STORE_H_

#include "ridesweep/base/object_store.h"

namespace ridesweep::store {
using ::ridesweep::ObjectInfo;
using ::ridesweep::ObjectStore;
}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_OBJECT_STORE_H_
