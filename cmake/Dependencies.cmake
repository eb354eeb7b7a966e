# Where FrameBridge's libraries come from: Boost (headers only), CLI11, spdlog and fmt.
#
# Normally from the system's packages, with find_package. A cross build sets
# FRAMEBRIDGE_HEADER_DEPS_DIR instead (scripts/cross-build-windows.sh does): a directory holding
# only those libraries' headers (boost/, CLI/, spdlog/, fmt/), because the rest of the host's
# /usr/include is for the host. All four are then used header-only, as the same targets.
set(FRAMEBRIDGE_HEADER_DEPS_DIR "" CACHE PATH
    "Take Boost, CLI11, spdlog and fmt as headers from this directory (cross builds)")

if(NOT FRAMEBRIDGE_HEADER_DEPS_DIR)
  find_package(Boost 1.74 REQUIRED)
  find_package(CLI11 CONFIG REQUIRED)
  find_package(spdlog CONFIG REQUIRED)
  return()
endif()

foreach(header boost/version.hpp CLI/CLI.hpp spdlog/spdlog.h fmt/format-inl.h)
  if(NOT EXISTS "${FRAMEBRIDGE_HEADER_DEPS_DIR}/${header}")
    message(FATAL_ERROR "FRAMEBRIDGE_HEADER_DEPS_DIR=${FRAMEBRIDGE_HEADER_DEPS_DIR} has no ${header}")
  endif()
endforeach()

function(framebridge_header_library target)
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  # Imported, so their headers count as system headers: our warning flags stay on our code.
  set_target_properties(${target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${FRAMEBRIDGE_HEADER_DEPS_DIR}"
    INTERFACE_COMPILE_DEFINITIONS "${ARGN}")
endfunction()

framebridge_header_library(Boost::headers)
framebridge_header_library(CLI11::CLI11)
framebridge_header_library(fmt::fmt FMT_HEADER_ONLY)
# Debian's spdlog uses the external fmt (its tweakme.h says so); without SPDLOG_COMPILED_LIB
# it compiles header-only.
framebridge_header_library(spdlog::spdlog SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY)
message(STATUS "FrameBridge: Boost, CLI11, spdlog and fmt header-only from ${FRAMEBRIDGE_HEADER_DEPS_DIR}")
