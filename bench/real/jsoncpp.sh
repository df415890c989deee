# jsoncpp: Json::CharReader::parse with option bits from the input, harness src/test_lib_json/fuzz.cpp.
recipe() {
  cc_objs "$OBJ/lib" "$CXX" $CXXFLAGS -std=c++11 -Iinclude -- src/lib_json/json_reader.cpp \
    src/lib_json/json_value.cpp src/lib_json/json_writer.cpp
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CXX" $CXXFLAGS -std=c++11 -Iinclude -- src/test_lib_json/fuzz.cpp
  echo c++ >"$OBJ/lang"
  cp test/data/*.json "$OBJ/seeds/"
}
