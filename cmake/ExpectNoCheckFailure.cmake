# ExpectNoCheckFailure.cmake - runs EXE (a unit test that makes no check) and passes only if
# it exits 1 saying "no check ran": an empty test must never count as a pass.
#   cmake -DEXE=<path> -P ExpectNoCheckFailure.cmake
execute_process(COMMAND ${EXE} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "no check ran")
  message(FATAL_ERROR "a unit test with no check exited ${rc} (want 1 and 'no check ran'):\n${out}${err}")
endif()
message(STATUS "1 passed, 0 failed")
