# Run as: cmake -DEMBED=lua/embed_scripts.cmake -DWORK=<scratch dir> -P embed_includes_test.cmake
# The include lines of lua/embed_scripts.cmake: a good include is replaced and hashed as the final text;
# a missing include file, a malformed include line and a nested include each fail with a clear message.
cmake_policy(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
file(WRITE "${WORK}/include/shared.lua" "local function f() return 1 end\n")
file(WRITE "${WORK}/include/nested.lua" "-- #include shared.lua\n")

# Runs the embedder on one script with `text`; sets rc_var and err_var.
function(embed name text rc_var err_var)
  file(WRITE "${WORK}/${name}/${name}.lua" "${text}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} "-DSCRIPTS=${WORK}/${name}/${name}.lua" "-DINCLUDE_DIR=${WORK}/include"
            "-DEXPANDED_DIR=${WORK}/${name}/expanded" "-DOUTPUT=${WORK}/${name}/out.cc" -P "${EMBED}"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  set(${rc_var} "${rc}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()

function(expect_failure name text pattern)
  embed(${name} "${text}" rc err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${name}: the embedder accepted it")
  endif()
  string(REGEX REPLACE "[ \n]+" " " err "${err}")  # CMake wraps its messages
  if(NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "${name}: expected an error matching '${pattern}', got:\n${err}")
  endif()
endfunction()

embed(good "-- a header\n-- #include shared.lua\nreturn f()\n" rc err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "good: the embedder failed:\n${err}")
endif()
file(READ "${WORK}/good/expanded/good.lua" expanded)
set(want "-- a header\nlocal function f() return 1 end\nreturn f()\n")
if(NOT expanded STREQUAL want)
  message(FATAL_ERROR "good: expanded to\n${expanded}\ninstead of\n${want}")
endif()
string(SHA1 sha "${want}")
file(READ "${WORK}/good/out.cc" cc)
string(FIND "${cc}" "\"${sha}\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "good: the table does not carry the SHA1 of the expanded text (${sha}):\n${cc}")
endif()

# A marker on the first line works too; text after the marker on the same line is not an include.
embed(first "-- #include shared.lua\nreturn f() -- #include is only a whole line\n" rc err)
file(READ "${WORK}/first/expanded/first.lua" expanded)
if(NOT rc EQUAL 0 OR NOT expanded STREQUAL
   "local function f() return 1 end\nreturn f() -- #include is only a whole line\n")
  message(FATAL_ERROR "first: rc ${rc}, expanded to\n${expanded}\n${err}")
endif()

expect_failure(missing "-- #include nosuch.lua\nreturn 1\n" "includes nosuch.lua, but there is no")
expect_failure(malformed "-- #include shared\nreturn 1\n" "bad include line \"-- #include shared\"")
expect_failure(trailing "-- #include shared.lua x\nreturn 1\n" "bad include line")
expect_failure(nested "-- #include nested.lua\nreturn 1\n" "cannot include another")
file(REMOVE_RECURSE "${WORK}")
