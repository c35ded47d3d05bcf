// TempDir: a fresh, uniquely named folder for one test, removed with its contents on destruction.
#ifndef RIDESWEEP_STORE_TESTS_TEMP_DIR_H_
#define RIDESWEEP_STORE_TESTS_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace ridesweep::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "ridesweep_store_XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Every entry below the folder (files and folders), as paths relative to it, sorted.
  std::vector<std::string> Entries() const {
    std::vector<std::string> entries;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path_)) {
      entries.push_back(std::filesystem::relative(entry.path(), path_).generic_string());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace ridesweep::store::testing

#endif  // RIDESWEEP_STORE_TESTS_TEMP_DIR_H_
