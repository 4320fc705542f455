# CapscopeEbpf.cmake - the eBPF backend of process attribution (src/procs/attrib_os.h's
# ebpf_owners_*), as the static library capscope_ebpf:
#  - with clang (-target bpf), bpftool (gen skeleton) and libbpf (pkg-config), on Linux and not
#    cross-compiling: src/procs/bpf/sockowner.bpf.c is compiled to a BPF object, bpftool
#    embeds it in a skeleton header in the build tree (never committed), and the library is
#    src/procs/attrib_ebpf_linux.c linked with libbpf; CAPSCOPE_HAVE_EBPF is defined (PUBLIC).
#  - otherwise (or -DCAPSCOPE_EBPF=OFF): src/procs/attrib_ebpf_none.c, whose open says why.
# The attribution engine links capscope_ebpf; nothing else in src/procs needs to know.
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
  set(ebpf_gen ${CMAKE_CURRENT_BINARY_DIR}/generated/ebpf)
  file(MAKE_DIRECTORY ${ebpf_gen})
  # <asm/types.h> lives in the multiarch include folder on Debian; -target bpf does not look
  # there by itself.
  set(ebpf_inc -I${ebpf_src}/bpf)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    list(APPEND ebpf_inc -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  add_custom_command(OUTPUT ${ebpf_gen}/sockowner.bpf.o
    COMMAND ${CAPSCOPE_BPF_CLANG} -O2 -g -Wall -Werror -target bpf ${ebpf_inc}
      -c ${ebpf_src}/bpf/sockowner.bpf.c -o ${ebpf_gen}/sockowner.bpf.o
    DEPENDS ${ebpf_src}/bpf/sockowner.bpf.c ${ebpf_src}/bpf/sockowner.h
    COMMENT "Compiling the BPF program sockowner.bpf.c"
    VERBATIM)
  add_custom_command(OUTPUT ${ebpf_gen}/sockowner.skel.h
    COMMAND sh -c "\"$0\" gen skeleton \"$1\" name sockowner > \"$2.tmp\" && mv \"$2.tmp\" \"$2\""
      ${CAPSCOPE_BPFTOOL} ${ebpf_gen}/sockowner.bpf.o ${ebpf_gen}/sockowner.skel.h
    DEPENDS ${ebpf_gen}/sockowner.bpf.o
    COMMENT "Generating the BPF skeleton sockowner.skel.h"
    VERBATIM)
  add_custom_target(capscope_ebpf_skel DEPENDS ${ebpf_gen}/sockowner.skel.h)
  add_library(capscope_ebpf STATIC ${ebpf_src}/attrib_ebpf_linux.c)
  add_dependencies(capscope_ebpf capscope_ebpf_skel)
  target_include_directories(capscope_ebpf PRIVATE ${ebpf_gen})
  target_link_libraries(capscope_ebpf PUBLIC capscope_core PRIVATE PkgConfig::LIBBPF)
  target_compile_definitions(capscope_ebpf PUBLIC CAPSCOPE_HAVE_EBPF=1)
else()
  message(STATUS "eBPF process attribution: no (${ebpf_why})")
  add_library(capscope_ebpf STATIC ${ebpf_src}/attrib_ebpf_none.c)
  target_link_libraries(capscope_ebpf PUBLIC capscope_core)
endif()
