# refine_set_warnings(target): the warning level every Refine target builds with.
# Third-party headers (LibTorch, Qt, OpenCV) are included as SYSTEM by their imported targets,
# so these warnings apply to our code only. CI builds with REFINE_WARNINGS_AS_ERRORS=ON
# (.ci/run), so a new warning fails the build there instead of piling up.
option(REFINE_WARNINGS_AS_ERRORS "Treat compiler warnings in Refine's own code as errors (CI)" OFF)

function(refine_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${REFINE_WARNINGS_AS_ERRORS}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter
                                             $<$<BOOL:${REFINE_WARNINGS_AS_ERRORS}>:-Werror>)
  endif()
endfunction()
