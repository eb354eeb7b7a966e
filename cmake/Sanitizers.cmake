# FRAMEBRIDGE_SANITIZE=address,undefined or =thread instruments every FrameBridge target.
set(FRAMEBRIDGE_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined or thread")

function(framebridge_enable_sanitizers target)
  if(FRAMEBRIDGE_SANITIZE AND NOT MSVC)
    target_compile_options(${target} PRIVATE -fsanitize=${FRAMEBRIDGE_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=${FRAMEBRIDGE_SANITIZE})
  endif()
endfunction()

# One call for the flags every FrameBridge target gets.
function(framebridge_target_defaults target)
  framebridge_set_warnings(${target})
  framebridge_enable_sanitizers(${target})
endfunction()
