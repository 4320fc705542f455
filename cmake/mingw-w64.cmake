# mingw-w64.cmake - CMake toolchain file for the Windows package, cross-built on Debian with
# gcc-mingw-w64-x86-64 (see README "Windows"):
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake
# CapscopeWindows.cmake then makes wpcap.dll's import library and builds ncurses for it.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CAPSCOPE_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${CAPSCOPE_MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER ${CAPSCOPE_MINGW_TRIPLET}-windres)
set(CMAKE_DLLTOOL ${CAPSCOPE_MINGW_TRIPLET}-dlltool)
set(CMAKE_FIND_ROOT_PATH /usr/${CAPSCOPE_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The host's pkg-config would hand over Linux libraries: none for the cross build.
set(PKG_CONFIG_EXECUTABLE "" CACHE FILEPATH "no pkg-config when cross-building for Windows" FORCE)
