# cmake -DBUILD_DIR=... -DWORK_DIR=... -DCONSUMER_DIR=... -DGENERATOR=... -P install_consumer.cmake
# Installs the client component of BUILD_DIR into WORK_DIR/prefix, builds the consumer project
# against that prefix with find_package(FrameBridge CONFIG), and runs its two programs against a
# port where no server listens: each must name the error it met.
file(REMOVE_RECURSE ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed (${status}):\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix --component client)
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)

run(${WORK_DIR}/build/consumer 1)
if(NOT output MATCHES "^ServerUnavailable: no FrameBridge server at 127.0.0.1:1")
  message(FATAL_ERROR "consumer printed: ${output}")
endif()
run(${WORK_DIR}/build/consumer_c 1)
if(NOT output MATCHES "^FB_SERVER_UNAVAILABLE: no FrameBridge server at 127.0.0.1:1")
  message(FATAL_ERROR "consumer_c printed: ${output}")
endif()
message(STATUS "consumer built against ${WORK_DIR}/prefix and ran")
