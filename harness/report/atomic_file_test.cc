// -----------------------------------------------------------------------------
// harness/report/atomic_file_test.cc
// -----------------------------------------------------------------------------
//
// The report files' writes: a whole file or none, nothing left behind.

#include "harness/report/atomic_file.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

// A fresh directory under the test temp dir, removed with what is left in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = testing::TempDir() + "racestress_atomic_XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    for (const std::string& name : Entries()) unlink((path_ + "/" + name).c_str());
    rmdir(path_.c_str());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

  std::set<std::string> Entries() const {
    std::set<std::string> names;
    if (DIR* dir = opendir(path_.c_str())) {
      while (const dirent* entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.insert(name);
      }
      closedir(dir);
    }
    return names;
  }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// -----------------------------------------------------------------------------
// WriteFileAtomically and CheckWritable

TEST(WriteFileAtomically, WritesTheWholeFileAndLeavesNoTemporary) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.File("report.json");
  const std::string contents(100000, 'x');
  ASSERT_TRUE(WriteFileAtomically(path, contents).ok());
  EXPECT_EQ(ReadFile(path), contents);
  EXPECT_EQ(dir.Entries(), (std::set<std::string>{"report.json"}));
}

TEST(WriteFileAtomically, ReplacesAnExistingFileWhole) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.File("report.json");
  ASSERT_TRUE(WriteFileAtomically(path, std::string(5000, 'a')).ok());
  ASSERT_TRUE(WriteFileAtomically(path, "short").ok());
  EXPECT_EQ(ReadFile(path), "short");
  EXPECT_EQ(dir.Entries(), (std::set<std::string>{"report.json"}));
}

TEST(WriteFileAtomically, IntoAMissingDirectoryFailsAndCreatesNothing) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string missing = dir.File("no_such_dir");
  const absl::Status status = WriteFileAtomically(missing + "/report.json", "{}");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr(missing + "/report.json"));
  EXPECT_FALSE(Exists(missing));
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(WriteFileAtomically, OverADirectoryFailsAndLeavesNoTemporary) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string target = dir.File("a_directory");
  ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
  EXPECT_FALSE(WriteFileAtomically(target, "{}").ok());
  EXPECT_EQ(dir.Entries(), (std::set<std::string>{"a_directory"}));
  rmdir(target.c_str());
}

TEST(CheckWritable, WritablePathPassesAndLeavesNothingBehind) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  EXPECT_TRUE(CheckWritable(dir.File("report.json")).ok());
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(CheckWritable, UnwritablePathFails) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  // A missing directory, and a directory no one may create files in (even
  // root: this suite may run as root, for whom permission bits do not count).
  EXPECT_FALSE(CheckWritable(dir.File("no_such_dir/report.json")).ok());
  EXPECT_FALSE(CheckWritable("/proc/racestress_report.json").ok());
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(CheckWritable, ExistingDirectoryIsNotAWritableReportPath) {
  // --json=DIR would pass the early check, run every case, and only then
  // fail to rename the report over the directory.
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string target = dir.File("a_directory");
  ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
  EXPECT_FALSE(CheckWritable(target).ok());
  EXPECT_EQ(dir.Entries(), (std::set<std::string>{"a_directory"}));
  rmdir(target.c_str());
}

}  // namespace
}  // namespace racestress::internal
