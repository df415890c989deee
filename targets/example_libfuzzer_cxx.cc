// example_libfuzzer_cxx.cc - a C++ libFuzzer-style target that builds
// unchanged with `clang++ -fsanitize=fuzzer` or against cfz.
//
// It parses a line of comma-separated fields, where a field "#N" (N a digit)
// is a back-reference to an earlier field and is replaced by that field's
// text.  Planted bug: the back-reference is resolved with
// std::vector::at() without checking N against the fields seen so far, so
// "a,#5" throws std::out_of_range, which nothing catches: std::terminate()
// -> abort() (SIGABRT).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

std::vector<std::string> split(const std::string &line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<std::string> resolve(const std::vector<std::string> &raw) {
  std::vector<std::string> fields;
  for (const std::string &f : raw) {
    if (f.size() == 2 && f[0] == '#' && f[1] >= '0' && f[1] <= '9') {
      size_t ref = static_cast<size_t>(f[1] - '0');
      fields.push_back(fields.at(ref)); // BUG: ref may be >= fields.size()
    } else {
      fields.push_back(f);
    }
  }
  return fields;
}

volatile size_t sink;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string line(reinterpret_cast<const char *>(data), size);
  if (line.find('\n') != std::string::npos)
    return 0; // one line only
  std::vector<std::string> fields = resolve(split(line));
  size_t total = 0;
  for (const std::string &f : fields)
    total += f.size();
  sink = total;
  return 0;
}
