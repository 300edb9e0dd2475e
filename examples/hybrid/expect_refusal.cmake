# Runs `hybrid_host --lock-down=refuse GUEST` and checks both that it exits
# with status 3 and that its message names the import left undefined, with
# its type.
#   cmake -D HOST=<hybrid_host> -D GUEST=<hybrid_guest.wasm> -P expect_refusal.cmake

execute_process(
  COMMAND "${HOST}" --lock-down=refuse "${GUEST}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")

if(NOT status EQUAL 3)
  message(FATAL_ERROR "expected exit status 3, got ${status}")
endif()
set(expected "cannot create container 'hybrid-1': .*tairitsu:hybrid/host-api@0.1.0#execute.*func\\(command: string, payload: string\\) -> result<string, string>")
if(NOT err MATCHES "${expected}")
  message(FATAL_ERROR "the error does not name the missing import with its type")
endif()
