# CapscopeEbpf.cmake - the eBPF backend of process attribution (src/procs/attrib_os.h's
# ebpf_owners_*). Included by CMakeLists.txt after CORE_SOURCES is globbed (it holds both
# src/procs/attrib_ebpf_linux.c and attrib_ebpf_none.c) and before capscope_core is made:
#  - with clang (-target bpf), bpftool (gen skeleton) and libbpf (pkg-config), on Linux and not
#    cross-compiling: keeps attrib_ebpf_linux.c; capscope_ebpf_link(capscope_core) then
#    compiles src/procs/bpf/sockowner.bpf.c to a BPF object, has bpftool embed it in a skeleton
#    header in the build tree (never committed), links libbpf and defines CAPSCOPE_HAVE_EBPF.
#  - otherwise (or -DCAPSCOPE_EBPF=OFF): keeps attrib_ebpf_none.c, whose open says why.
# CAPSCOPE_HAVE_EBPF (ON/OFF) is left set for tests/CMakeLists.txt.
option(CAPSCOPE_EBPF "Build the eBPF backend of process attribution (Linux: clang, bpftool, libbpf)" ON)

set(CAPSCOPE_HAVE_EBPF OFF)
set(ebpf_why "")
if(NOT CAPSCOPE_EBPF)
  set(ebpf_why "turned off (-DCAPSCOPE_EBPF=OFF)")
elseif(WIN32 OR NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR CMAKE_CROSSCOMPILING)
  set(ebpf_why "not a native Linux build")
else()
  find_program(CAPSCOPE_BPF_CLANG NAMES clang clang-16 clang-15 clang-14)
  find_program(CAPSCOPE_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin /usr/local/sbin)
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(LIBBPF QUIET IMPORTED_TARGET libbpf)
  endif()
  if(NOT CAPSCOPE_BPF_CLANG)
    set(ebpf_why "clang not found (Debian: clang)")
  elseif(NOT CAPSCOPE_BPFTOOL)
    set(ebpf_why "bpftool not found (Debian: bpftool)")
  elseif(NOT LIBBPF_FOUND)
    set(ebpf_why "libbpf not found (Debian: libbpf-dev)")
  else()
    set(CAPSCOPE_HAVE_EBPF ON)
  endif()
endif()

set(ebpf_src ${PROJECT_SOURCE_DIR}/src/procs)
if(CAPSCOPE_HAVE_EBPF)
  message(STATUS "eBPF process attribution: yes (${CAPSCOPE_BPF_CLANG}, ${CAPSCOPE_BPFTOOL}, libbpf ${LIBBPF_VERSION})")
  list(REMOVE_ITEM CORE_SOURCES ${ebpf_src}/attrib_ebpf_none.c)
else()
  message(STATUS "eBPF process attribution: no (${ebpf_why})")
  list(REMOVE_ITEM CORE_SOURCES ${ebpf_src}/attrib_ebpf_linux.c)
endif()

# Adds the BPF object, its skeleton and libbpf to target (the library holding
# attrib_ebpf_linux.c); nothing without CAPSCOPE_HAVE_EBPF.
function(capscope_ebpf_link target)
  if(NOT CAPSCOPE_HAVE_EBPF)
    return()
  endif()
  set(src ${PROJECT_SOURCE_DIR}/src/procs)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/generated/ebpf)
  file(MAKE_DIRECTORY ${gen})
  # <asm/types.h> lives in the multiarch include folder on Debian; -target bpf does not look
  # there by itself.
  set(inc -I${src}/bpf)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    list(APPEND inc -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  add_custom_command(OUTPUT ${gen}/sockowner.bpf.o
    COMMAND ${CAPSCOPE_BPF_CLANG} -O2 -g -Wall -Werror -target bpf ${inc}
      -c ${src}/bpf/sockowner.bpf.c -o ${gen}/sockowner.bpf.o
    DEPENDS ${src}/bpf/sockowner.bpf.c ${src}/bpf/sockowner.h
    COMMENT "Compiling the BPF program sockowner.bpf.c"
    VERBATIM)
  add_custom_command(OUTPUT ${gen}/sockowner.skel.h
    COMMAND sh -c "\"$0\" gen skeleton \"$1\" name sockowner > \"$2.tmp\" && mv \"$2.tmp\" \"$2\""
      ${CAPSCOPE_BPFTOOL} ${gen}/sockowner.bpf.o ${gen}/sockowner.skel.h
    DEPENDS ${gen}/sockowner.bpf.o
    COMMENT "Generating the BPF skeleton sockowner.skel.h"
    VERBATIM)
  add_custom_target(${target}_bpf_skel DEPENDS ${gen}/sockowner.skel.h)
  add_dependencies(${target} ${target}_bpf_skel)
  target_include_directories(${target} PRIVATE ${gen})
  target_link_libraries(${target} PUBLIC PkgConfig::LIBBPF)
  target_compile_definitions(${target} PUBLIC CAPSCOPE_HAVE_EBPF=1)
endfunction()
