# Synthesis flow tests (included by generator/tests/CMakeLists.txt): the parser and option unit
# tests (label unit) and, when Yosys and OpenSTA are installed, configs/tiny.json synthesised to
# osu018 with a report check (label synth, synth/check_synth.py).
target_sources(unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_synth.cpp)
add_test(NAME unit.synth COMMAND unit_tests --run_test=synth --log_level=message)
set_tests_properties(unit.synth PROPERTIES LABELS unit)

find_program(ESCGEN_YOSYS yosys)
find_program(ESCGEN_STA sta)
find_program(ESCGEN_SYSTEM_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(ESCGEN_YOSYS AND ESCGEN_STA AND ESCGEN_SYSTEM_PYTHON3)
  add_test(NAME synth.tiny
           COMMAND ${ESCGEN_SYSTEM_PYTHON3} ${PROJECT_SOURCE_DIR}/synth/check_synth.py
                   $<TARGET_FILE:escgen> ${PROJECT_SOURCE_DIR}/configs/tiny.json
                   ${PROJECT_BINARY_DIR}/synth-test/tiny)
  set_tests_properties(synth.tiny PROPERTIES LABELS synth TIMEOUT 600)
else()
  message(STATUS "yosys, sta or /usr/bin/python3 missing: no `synth` tests (run scripts/setup)")
endif()
