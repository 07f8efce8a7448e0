# refine_set_warnings(target): the warning level every Refine target builds with.
# Third-party headers (LibTorch, Qt, OpenCV) are included as SYSTEM by their imported targets,
# so these warnings apply to our code only.
function(refine_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  endif()
endfunction()
