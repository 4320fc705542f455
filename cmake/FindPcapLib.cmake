# Finds libpcap and defines the imported target capscope::pcap.
# Order: an explicit PCAP_INCLUDE_DIR/PCAP_LIBRARY (the Windows cross build uses these with an
# import library for wpcap.dll), then pkg-config, then a plain header/library search.
if(NOT TARGET capscope::pcap)
  add_library(capscope::pcap INTERFACE IMPORTED)
  if(PCAP_INCLUDE_DIR AND PCAP_LIBRARY)
    set_target_properties(capscope::pcap PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${PCAP_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${PCAP_LIBRARY}")
  else()
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
      pkg_check_modules(PC_PCAP QUIET IMPORTED_TARGET libpcap)
    endif()
    if(PC_PCAP_FOUND)
      set_target_properties(capscope::pcap PROPERTIES INTERFACE_LINK_LIBRARIES PkgConfig::PC_PCAP)
    else()
      find_path(PCAP_INCLUDE_DIR pcap/pcap.h)
      find_library(PCAP_LIBRARY NAMES pcap wpcap)
      if(NOT PCAP_INCLUDE_DIR OR NOT PCAP_LIBRARY)
        message(FATAL_ERROR "libpcap not found: install libpcap-dev (Debian/Ubuntu) or set PCAP_INCLUDE_DIR and PCAP_LIBRARY")
      endif()
      set_target_properties(capscope::pcap PROPERTIES
        INTERFACE_INCLUDE_DIRECTORIES "${PCAP_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES "${PCAP_LIBRARY}")
    endif()
  endif()
endif()
