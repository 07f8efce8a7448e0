# cmake -P: fails when LibTorch (or the engine's internal headers) can be reached from outside the
# engine. Arguments: INCLUDE_DIRS_FILE (written at generate time: each target's include path),
# FORBIDDEN_INCLUDE_DIRS, SOURCE_DIR, SCANNED_DIRS (relative to SOURCE_DIR).
cmake_policy(VERSION 3.22)
include(${INCLUDE_DIRS_FILE})
set(problems "")

# 1. No target outside the engine can find a LibTorch header or an engine-internal one.
foreach(target ${checked_targets})
  foreach(dir ${include_dirs_of_${target}})
    file(TO_CMAKE_PATH "${dir}" dir)
    foreach(forbidden ${FORBIDDEN_INCLUDE_DIRS})
      file(TO_CMAKE_PATH "${forbidden}" forbidden)
      if(dir STREQUAL forbidden)
        string(APPEND problems "  ${target} has ${dir} on its include path\n")
      endif()
    endforeach()
  endforeach()
endforeach()

# 2. No source there includes LibTorch directly (ATen and c10 sit in /usr/include on Debian, so the
#    include path alone cannot keep them out).
foreach(scanned ${SCANNED_DIRS})
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${scanned}/*.h" "${SOURCE_DIR}/${scanned}/*.hpp" "${SOURCE_DIR}/${scanned}/*.cpp")
  foreach(source ${sources})
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](torch|ATen|c10|caffe2)/")
    foreach(line ${includes})
      file(RELATIVE_PATH shown "${SOURCE_DIR}" "${source}")
      string(STRIP "${line}" line)
      string(APPEND problems "  ${shown}: ${line}\n")
    endforeach()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "LibTorch must stay private to the engine (core/engine/CMakeLists.txt; use the "
                      "torch-free API in core/engine/include/refine/engine):\n${problems}")
endif()
list(LENGTH checked_targets count)
message(STATUS "LibTorch stays inside the engine: ${count} targets and ${SCANNED_DIRS} checked")
