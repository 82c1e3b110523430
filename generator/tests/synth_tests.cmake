# Synthesis flow tests (included by generator/tests/CMakeLists.txt): the parser and option unit
# tests (label unit) and, when Yosys and OpenSTA are installed, configs/tiny.json synthesised to
# osu018 with a report check (label synth, synth/check_synth.py) and, when Icarus Verilog and the
# osu018 cell models exist too, a layer simulated bit-exactly on that netlist (synth.gate_level.tiny,
# testbench/icarus/run_gate_level.sh; it reuses synth.tiny's run folder through a fixture).
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
  set_tests_properties(synth.tiny PROPERTIES LABELS synth TIMEOUT 600 FIXTURES_SETUP synth_tiny)
  find_program(ESCGEN_IVERILOG_GL iverilog)
  set(ESCGEN_OSU018_CELLS /usr/share/qflow/tech/osu018/osu018_stdcells.v)
  if(ESCGEN_IVERILOG_GL AND EXISTS ${ESCGEN_OSU018_CELLS})
    add_test(NAME synth.gate_level.tiny
             COMMAND ${PROJECT_SOURCE_DIR}/testbench/icarus/run_gate_level.sh $<TARGET_FILE:escgen>
                     ${PROJECT_SOURCE_DIR}/configs/tiny.json ${PROJECT_BINARY_DIR}/synth-test/tiny
                     ${PROJECT_BINARY_DIR}/synth-test/gate-level-tiny --random 1 --c-in 6 --c-out 3
                     --h 5 --w 4 --k 3 --pad 1 --d 3)
    set_tests_properties(synth.gate_level.tiny PROPERTIES LABELS synth TIMEOUT 900
                         FIXTURES_REQUIRED synth_tiny)
  else()
    message(STATUS "iverilog or ${ESCGEN_OSU018_CELLS} missing: no gate-level test")
  endif()
else()
  message(STATUS "yosys, sta or /usr/bin/python3 missing: no `synth` tests (run scripts/setup)")
endif()
