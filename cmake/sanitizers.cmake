# Applies RIDESWEEP_SANITIZE (e.g. "address;undefined") to every ridesweep target.
set(RIDESWEEP_SANITIZER_FLAGS "")
if(RIDESWEEP_SANITIZE)
  string(REPLACE ";" "," _rs_san "${RIDESWEEP_SANITIZE}")
  set(RIDESWEEP_SANITIZER_FLAGS -fsanitize=${_rs_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
endif()
