# Run as: cmake -DSCRIPTS="a.lua|b.lua" -DINCLUDE_DIR=scripts/include -DEXPANDED_DIR=dir
#             -DOUTPUT=builtin_scripts.cc -P embed_scripts.cmake
# Writes the C++ table of builtin_scripts(): name (file stem), source (every byte, hex-escaped, so no
# delimiter or line-ending translation can alter it) and sha1 (file(SHA1), Redis's script SHA).
#
# Includes: a line that is exactly `-- #include NAME.lua` is replaced by the whole text of
# INCLUDE_DIR/NAME.lua (which must end with a newline and may not include anything itself). The
# final source of such a script is written to EXPANDED_DIR/<script>.lua, and its sha1 and bytes are
# taken from that file. A script without includes is embedded from its own file, byte for byte.
cmake_policy(VERSION 3.25)
string(REPLACE "|" ";" scripts "${SCRIPTS}")

set(marker "-- #include")

# Fails unless `file` can be read as text exactly (a NUL byte would cut file(READ) short).
function(read_exact file out_var)
  file(READ "${file}" text)
  file(SIZE "${file}" size)
  string(LENGTH "${text}" length)
  if(NOT length EQUAL size)
    message(FATAL_ERROR "${file} contains a NUL byte: remove it (a script or include is Lua text)")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# Sets out_var to the text of script `path` with its include lines replaced; found_var to TRUE when
# it had any.
function(expand_includes path out_var found_var)
  file(READ "${path}" text)
  # A leading newline lets one search find markers on the first line too; it is dropped at the end.
  set(rest "\n${text}")
  set(out "")
  set(found FALSE)
  while(TRUE)
    string(FIND "${rest}" "\n${marker}" pos)
    if(pos EQUAL -1)
      break()
    endif()
    math(EXPR start "${pos} + 1")
    string(SUBSTRING "${rest}" 0 ${start} head)
    string(APPEND out "${head}")
    string(SUBSTRING "${rest}" ${start} -1 rest)
    string(FIND "${rest}" "\n" eol)
    if(eol EQUAL -1)
      set(line "${rest}")
      set(rest "")
    else()
      string(SUBSTRING "${rest}" 0 ${eol} line)
      math(EXPR eol "${eol} + 1")
      string(SUBSTRING "${rest}" ${eol} -1 rest)
    endif()
    if(NOT line MATCHES "^-- #include ([a-z][a-z0-9_]*\\.lua)$")
      message(FATAL_ERROR "${path}: bad include line \"${line}\": write it as "
                          "\"${marker} NAME.lua\" (NAME: lower case letters, digits and '_'), "
                          "alone on its line, with NAME.lua in ${INCLUDE_DIR}")
    endif()
    set(include "${INCLUDE_DIR}/${CMAKE_MATCH_1}")
    if(NOT EXISTS "${include}" OR IS_DIRECTORY "${include}")
      message(FATAL_ERROR "${path}: includes ${CMAKE_MATCH_1}, but there is no ${include}: "
                          "create it or fix the include line")
    endif()
    read_exact("${include}" body)
    if(NOT body MATCHES "\n$")
      message(FATAL_ERROR "${include} is empty or does not end with a newline: end it with one")
    endif()
    string(FIND "\n${body}" "\n${marker}" nested)
    if(NOT nested EQUAL -1)
      message(FATAL_ERROR "${include}: an included file cannot include another: "
                          "put the text in one file")
    endif()
    string(APPEND out "${body}")
    set(found TRUE)
  endwhile()
  if(found)
    read_exact("${path}" text)  # only an expanded script is taken from its text, not its bytes
  endif()
  string(APPEND out "${rest}")
  string(SUBSTRING "${out}" 1 -1 out)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${found_var} ${found} PARENT_SCOPE)
endfunction()

# Sorted by name (find_script() does a binary search).
set(names "")
foreach(path IN LISTS scripts)
  get_filename_component(name "${path}" NAME_WLE)
  list(APPEND names "${name}")
endforeach()
set(sorted_names ${names})
list(SORT sorted_names)
set(defs "")
set(rows "")
set(n 0)
foreach(name IN LISTS sorted_names)
  list(FIND names "${name}" index)
  list(GET scripts ${index} path)
  if(NOT name MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "${path}: a script name must be lower case letters, digits and '_' "
                        "(it is the name the command table refers to); rename the file")
  endif()
  get_filename_component(file "${path}" NAME)
  set(origin "lua/scripts/${file}")
  expand_includes("${path}" expanded has_includes)
  if(has_includes)
    set(path "${EXPANDED_DIR}/${file}")
    file(WRITE "${path}" "${expanded}")
    string(APPEND origin " with its includes")
  endif()
  file(SHA1 "${path}" sha1)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hexlen)
  if(hexlen EQUAL 0)
    message(FATAL_ERROR "${path} is empty: remove it or give it a body")
  endif()
  math(EXPR size "${hexlen} / 2")
  # 32 bytes (64 hex digits) per line of adjacent string literals.
  set(lines "")
  set(pos 0)
  while(pos LESS hexlen)
    string(SUBSTRING "${hex}" ${pos} 64 chunk)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" chunk "${chunk}")
    string(APPEND lines "    \"${chunk}\"\n")
    math(EXPR pos "${pos} + 64")
  endwhile()
  string(APPEND defs "// ${origin}\nconstexpr char kSource${n}[] =\n${lines};\n"
                     "static_assert(sizeof(kSource${n}) == ${size} + 1);\n\n")
  string(APPEND rows "    {\"${name}\", {kSource${n}, ${size}}, \"${sha1}\"},\n")
  math(EXPR n "${n} + 1")
endforeach()

set(text "// Generated by lua/embed_scripts.cmake from lua/scripts/*.lua and scripts/include/*.lua.")
string(APPEND text " Do not edit.\n")
string(APPEND text "#include \"lua/scripts.h\"\n\nnamespace stdnet::lua {\n\n")
if(n EQUAL 0)
  string(APPEND text "std::span<const Script> builtin_scripts() { return {}; }\n")
else()
  string(APPEND text "namespace {\n\n${defs}constexpr Script kScripts[] = {\n${rows}};\n\n"
                     "}  // namespace\n\n"
                     "std::span<const Script> builtin_scripts() { return kScripts; }\n")
endif()
string(APPEND text "\n}  // namespace stdnet::lua\n")
# Replace the output only when its content changes, so an unchanged table is not recompiled.
file(WRITE "${OUTPUT}.tmp" "${text}")
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)
file(REMOVE "${OUTPUT}.tmp")
