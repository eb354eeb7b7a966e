# Precompiled headers for the targets with many files on the same big third-party headers
# (GoogleTest, Qt, Asio in the client): parsed once per build instead of once per file. Measured
# on the CPU time of a cold build: about a fifth less for the Qt targets and the client, a
# tenth for the GoogleTest suites; where files include them rarely (the server library) loading
# a 100 MB header costs as much as it saves, so those targets have none. Only third-party
# headers go in, never ours, so editing ours rebuilds no more than before. A header that
# cannot be used (other flags) fails the build (-Winvalid-pch, -Werror). OFF builds every file
# from its own includes alone (which shows a file that forgets one).
option(FRAMEBRIDGE_PRECOMPILE_HEADERS "Precompile the big third-party headers" ON)

# ccache skips a file compiled with a precompiled header unless it is told it may: these
# settings (ccache's manual, PRECOMPILED HEADERS) for this target's compiles only.
function(framebridge_ccache_accepts_pch target)
  get_target_property(launcher ${target} CXX_COMPILER_LAUNCHER)
  if(launcher MATCHES "ccache")
    set_property(TARGET ${target} PROPERTY CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime ${launcher})
  endif()
endfunction()

# framebridge_precompile_headers(TARGET <header>...): TARGET's files start from these headers.
function(framebridge_precompile_headers target)
  if(FRAMEBRIDGE_PRECOMPILE_HEADERS)
    target_precompile_headers(${target} PRIVATE ${ARGN})
    framebridge_ccache_accepts_pch(${target})
  endif()
endfunction()

# framebridge_reuse_precompiled_headers(TARGET FROM): TARGET, built with the same flags as
# FROM, uses FROM's precompiled header rather than building its own.
function(framebridge_reuse_precompiled_headers target from)
  if(FRAMEBRIDGE_PRECOMPILE_HEADERS)
    target_precompile_headers(${target} REUSE_FROM ${from})
    framebridge_ccache_accepts_pch(${target})
  endif()
endfunction()
