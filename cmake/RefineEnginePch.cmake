# refine_reuse_engine_pch(target...): compile the targets against the engine's precompiled
# LibTorch header (about a minute per file less on two cores). GCC accepts a precompiled header
# only with the same code-generation flags, and the engine is built position-independent.
function(refine_reuse_engine_pch)
  if(NOT REFINE_PRECOMPILED_HEADERS)
    return()
  endif()
  foreach(target ${ARGN})
    target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang>:-fPIC>)
    target_precompile_headers(${target} REUSE_FROM refine_engine)
  endforeach()
endfunction()
