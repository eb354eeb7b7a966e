# Cross build for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix: the
# posix thread model, which std::thread and std::mutex need). scripts/cross-build-windows.sh
# uses it; see docs/windows.md.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(FRAMEBRIDGE_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${FRAMEBRIDGE_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${FRAMEBRIDGE_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${FRAMEBRIDGE_MINGW_PREFIX}-windres)

# Headers and libraries come from the MinGW sysroot only: the rest of /usr is Linux's.
set(CMAKE_FIND_ROOT_PATH /usr/${FRAMEBRIDGE_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Every executable links its C and C++ runtimes in, so it runs on a bare Windows (or Wine)
# with no MinGW DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# CTest runs the Windows test programs through Wine when it is installed.
find_program(FRAMEBRIDGE_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(FRAMEBRIDGE_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${FRAMEBRIDGE_WINE})
endif()
