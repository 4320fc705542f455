# CapscopeWindows.cmake - what the Windows build (cross-built with mingw-w64, see
# mingw-w64.cmake) needs that Debian does not package:
#  - libpcap's API: the headers come from the build machine's libpcap-dev (copied into the
#    build tree: the host's /usr/include must not be on the cross compiler's path), the
#    import library for Npcap's wpcap.dll is made at build time from cmake/wpcap.def with
#    dlltool, as a *delay-load* library: wpcap.dll is loaded at the first pcap call, from
#    Npcap's folder (src/cli/win32/npcap_load.c), so --version and --help run without Npcap
#    and a missing wpcap.dll or call gives a message instead of Windows' loader error.
#  - curses: ncurses with its Windows console driver, built by tests/win/build_curses.sh
#    into the build tree at configure time (once; cached) unless CAPSCOPE_CURSES_DIR names
#    such a build (include/ncursesw, lib/libncursesw.dll.a, bin/*.dll).
# Nothing here runs for the Linux build. An explicit PCAP_INCLUDE_DIR/PCAP_LIBRARY (as
# tests/cross/test_mingw_core.sh passes) is used as given.
if(NOT PCAP_LIBRARY)
  set(capscope_pcap_inc ${CMAKE_BINARY_DIR}/wpcap/include)
  if(NOT EXISTS /usr/include/pcap/pcap.h)
    message(FATAL_ERROR "/usr/include/pcap/pcap.h not found: the Windows build takes libpcap's headers from the build machine (apt-get install libpcap-dev)")
  endif()
  file(MAKE_DIRECTORY ${capscope_pcap_inc})
  file(COPY /usr/include/pcap.h /usr/include/pcap DESTINATION ${capscope_pcap_inc})
  set(capscope_wpcap_lib ${CMAKE_BINARY_DIR}/wpcap/libwpcap_delay.a)
  find_program(CAPSCOPE_DLLTOOL NAMES ${CMAKE_DLLTOOL} x86_64-w64-mingw32-dlltool REQUIRED)
  add_custom_command(OUTPUT ${capscope_wpcap_lib}
    COMMAND ${CAPSCOPE_DLLTOOL} -d ${PROJECT_SOURCE_DIR}/cmake/wpcap.def
      -y ${capscope_wpcap_lib} -D wpcap.dll
    DEPENDS ${PROJECT_SOURCE_DIR}/cmake/wpcap.def
    COMMENT "Making wpcap.dll's delay-load import library from cmake/wpcap.def"
    VERBATIM)
  add_custom_target(capscope_wpcap_implib DEPENDS ${capscope_wpcap_lib})
  set(PCAP_INCLUDE_DIR ${capscope_pcap_inc})
  set(PCAP_LIBRARY ${capscope_wpcap_lib})
endif()

# Sets up curses for target tgt and installs the DLLs it needs beside capscope.exe.
function(capscope_windows_curses tgt)
  if(CAPSCOPE_CURSES_DIR)
    set(dir ${CAPSCOPE_CURSES_DIR})
  else()
    set(dir ${CMAKE_BINARY_DIR}/ncurses)
    message(STATUS "Building ncurses for mingw-w64 into ${dir} (first time: about a minute)")
    execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/tests/win/build_curses.sh ${dir}
      RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "building ncurses for Windows failed (see ${dir}/*.log)")
    endif()
  endif()
  target_include_directories(${tgt} PRIVATE ${dir}/include/ncursesw ${dir}/include)
  target_link_libraries(${tgt} PRIVATE ${dir}/lib/libncursesw.dll.a)
  install(FILES ${dir}/bin/libncursesw6.dll DESTINATION ${CMAKE_INSTALL_BINDIR})
  # The mingw runtime: statically linked (no libgcc/libwinpthread DLLs to ship).
  target_link_options(${tgt} PRIVATE -static-libgcc -static)
endfunction()

# -DCAPSCOPE_WIN_UNIT_TESTS=ON: the unit tests that need neither offline file reading
# through wpcap (wine's has none) nor POSIX calls, as win_unit/<name>.exe, for
# tests/win/test_wine_unit.sh to run under wine. Left out: test_dump, test_store,
# test_replay, test_source, test_save, test_dump_pcapng (read capture files), test_model,
# test_ring, test_text, test_fields (POSIX-only calls in the tests themselves),
# test_dfilter and test_quic_crypto (their "matches" and QUIC decryption checks need PCRE2
# and libcrypto, which this build lacks).
option(CAPSCOPE_WIN_UNIT_TESTS "Windows build: also build the unit tests run under wine" OFF)
set(CAPSCOPE_WIN_UNIT_TEST_NAMES test_cursor test_dissect test_names test_stream test_adapter
  test_repro test_proc_comment test_proc_stats)
function(capscope_windows_unit_tests)
  if(NOT CAPSCOPE_WIN_UNIT_TESTS)
    return()
  endif()
  foreach(name IN LISTS CAPSCOPE_WIN_UNIT_TEST_NAMES)
    set(src ${PROJECT_SOURCE_DIR}/tests/unit/${name}.c)
    if(NOT EXISTS ${src})
      set(src ${PROJECT_SOURCE_DIR}/tests/procs/${name}.c)
    endif()
    add_executable(win_${name} ${src} ${PROJECT_SOURCE_DIR}/tests/unit/check.c)
    set_target_properties(win_${name} PROPERTIES OUTPUT_NAME ${name}
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/win_unit)
    target_include_directories(win_${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
    target_link_libraries(win_${name} PRIVATE capscope_model)
    target_link_options(win_${name} PRIVATE -static-libgcc -static)
  endforeach()
endfunction()
