# Sanitizer and fuzzing builds (docs/testing.md). Both instrument every target of the build, so a
# bug in the engine or the imaging library is caught wherever a test or a fuzz input reaches it.
#
#   REFINE_SANITIZERS=address,undefined  ASan + UBSan (tools/sanitize.sh); any error aborts the test.
#   REFINE_FUZZ=ON                       Clang only: libFuzzer targets in fuzz/ (ctest -L fuzz), built
#                                        with coverage instrumentation and ASan + UBSan.
set(REFINE_SANITIZERS "" CACHE STRING "Comma-separated -fsanitize= list for every target, e.g. address,undefined")
option(REFINE_FUZZ "Build the libFuzzer targets in fuzz/ (Clang) and their bounded runs (ctest -L fuzz)" OFF)

if(REFINE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "REFINE_FUZZ needs Clang's libFuzzer: configure with -DCMAKE_CXX_COMPILER=clang++-14 "
                        "(Debian: clang-14 and libclang-rt-14-dev)")
  endif()
  if(NOT REFINE_SANITIZERS)
    set(REFINE_SANITIZERS "address,undefined")
  endif()
  # Coverage feedback for libFuzzer in every library; only the fuzz targets link its main().
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(REFINE_SANITIZERS)
  if(MSVC)
    message(FATAL_ERROR "REFINE_SANITIZERS is for GCC and Clang")
  endif()
  # -fno-sanitize-recover: a UBSan finding stops the program, so the test that hit it fails.
  add_compile_options(-fsanitize=${REFINE_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all -g)
  add_link_options(-fsanitize=${REFINE_SANITIZERS})
endif()
