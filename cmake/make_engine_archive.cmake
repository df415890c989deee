# make_engine_archive.cmake - cmake -P script: prelinks the harness archive
# and a static jansson into one object, makes jansson's symbols local, and
# puts the object alone into an archive (LibFuzzingEngine.cmake).
# Variables: LD NM OBJCOPY AR HARNESS JANSSON OUT.
get_filename_component(dir ${OUT} DIRECTORY)
set(obj ${dir}/cfz_fuzzing_engine.o)
set(syms ${dir}/cfz_fuzzing_engine.jansson-symbols)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN}: ${rc}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

run(${LD} -r -o ${obj} --whole-archive ${HARNESS} ${JANSSON}
    --no-whole-archive)
run(${NM} -g --defined-only ${JANSSON})
string(REGEX MATCHALL "[^\n]+" lines "${run_out}")
set(names "")
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-fA-F]+ [A-Za-z] ([^ ]+)$")
    string(APPEND names "${CMAKE_MATCH_1}\n")
  endif()
endforeach()
file(WRITE ${syms} "${names}")
run(${OBJCOPY} --localize-symbols=${syms} ${obj})
file(REMOVE ${OUT})
run(${AR} rcs ${OUT} ${obj})
