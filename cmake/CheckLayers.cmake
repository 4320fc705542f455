# CheckLayers.cmake - the include rules between the layers of src/, as a build step:
#   cmake -DSRC=<src dir> -P CheckLayers.cmake
# Each folder of src/ is a layer that may include headers only from the layers listed for it
# below; curses is included by ui/curses_compat.h alone. A violation fails the build with
# the file, the line and the rule, so a layering mistake never reaches main.
cmake_minimum_required(VERSION 3.20)
if(NOT SRC)
  message(FATAL_ERROR "CheckLayers.cmake: pass -DSRC=<the src folder>")
endif()

# Layer -> the layers it may include (itself always).
set(allowed_base "")
set(allowed_platform "base")
set(allowed_capture "base;platform")
set(allowed_decode "base;platform")
set(allowed_model "base;platform;capture;decode;ui") # ui: until kept.h stops using app.h
set(allowed_ui "base;platform;capture;decode;model;views")
set(allowed_views "base;platform;capture;decode;model;ui") # capture: until the picker and graph go through the model
set(allowed_cli "base;platform;capture;decode")
set(allowed_main "base;platform;capture;decode;model;ui;views;cli")

file(GLOB_RECURSE files RELATIVE ${SRC} ${SRC}/*.c ${SRC}/*.h)
set(problems "")
foreach(f IN LISTS files)
  if(f MATCHES "^([a-z_]+)/")
    set(layer ${CMAKE_MATCH_1})
  else()
    set(layer main)
  endif()
  if(NOT DEFINED allowed_${layer})
    string(APPEND problems "  src/${f}: '${layer}' is not a known layer (add it to CheckLayers.cmake)\n")
    continue()
  endif()
  file(STRINGS ${SRC}/${f} lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "[<\"](n?curses[a-z_]*\\.h|pdcurses\\.h|curses\\.h|ncursesw/[a-z_]+\\.h)[>\"]")
      if(NOT f STREQUAL "ui/curses_compat.h")
        string(APPEND problems "  src/${f}: ${line}: only ui/curses_compat.h includes curses\n")
      endif()
    elseif(line MATCHES "\"([a-z_]+)/[A-Za-z0-9_./]+\\.h\"")
      set(dep ${CMAKE_MATCH_1})
      if(NOT dep STREQUAL layer AND NOT dep IN_LIST allowed_${layer})
        string(APPEND problems "  src/${f}: ${line}: ${layer}/ may include only ${layer}/ ${allowed_${layer}}\n")
      endif()
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "include rules between layers broken:\n${problems}")
endif()
