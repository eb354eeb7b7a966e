# FRAMEBRIDGE_SANITIZE=address,undefined or =thread instruments every FrameBridge target.
set(FRAMEBRIDGE_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined or thread")

function(framebridge_enable_sanitizers target)
  if(FRAMEBRIDGE_SANITIZE AND NOT MSVC)
    target_compile_options(${target} PRIVATE -fsanitize=${FRAMEBRIDGE_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=${FRAMEBRIDGE_SANITIZE})
    if(FRAMEBRIDGE_SANITIZE MATCHES "undefined")
      # UBSan otherwise prints its report and carries on, and the test passes.
      target_compile_options(${target} PRIVATE -fno-sanitize-recover=undefined)
    endif()
    if(FRAMEBRIDGE_SANITIZE MATCHES "address" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # With ASan's instrumentation, GCC 12 at -O1 and above calls std::regex's own
      # std::function members maybe uninitialized (in libstdc++'s headers). The asan preset
      # builds at -O0, where GCC does not warn; this is for builds at -O1 and up. The
      # uninstrumented builds keep the warning.
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    if(FRAMEBRIDGE_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # TSan cannot model fences. Ours order the seqlock's writes for readers in other
      # processes, which TSan does not see; in-process readers synchronise through locks.
      target_compile_options(${target} PRIVATE -Wno-tsan)
    endif()
  endif()
endfunction()

# One call for the flags every FrameBridge target gets.
function(framebridge_target_defaults target)
  framebridge_set_warnings(${target})
  framebridge_enable_sanitizers(${target})
endfunction()
