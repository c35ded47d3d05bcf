# Applies RIDESWEEP_SANITIZE (e.g. "address;undefined") to every ridesweep target.
set(RIDESWEEP_SANITIZER_FLAGS "")
if(RIDESWEEP_SANITIZE)
  string(REPLACE ";" "," _rs_san "${RIDESWEEP_SANITIZE}")
  set(RIDESWEEP_SANITIZER_FLAGS -fsanitize=${_rs_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12's sanitizer instrumentation makes -Wmaybe-uninitialized report false positives inside
    # std::variant; the sanitizers themselves catch real uninitialised reads in this build.
    list(APPEND RIDESWEEP_SANITIZER_FLAGS -Wno-maybe-uninitialized)
  endif()
endif()
