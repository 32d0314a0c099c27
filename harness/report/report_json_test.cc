// -----------------------------------------------------------------------------
// harness/report/report_json_test.cc
// -----------------------------------------------------------------------------
//
// The JSON report: its documented keys, its escaping, and the file writes
// that leave a whole report or none.

#include "harness/report/report_json.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A fresh directory under the test temp dir, removed with what is left in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = testing::TempDir() + "racestress_json_XXXXXX";
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

CaseReport FailedReport() {
  CaseReport report;
  report.name = "Counter.LostUpdateMutex";
  report.racy = false;
  report.passed = false;
  report.iterations = 20;
  report.elapsed_ms = 2000;
  report.races = 1;
  report.hangs = 2;
  report.crashes = 3;
  report.outcomes = {{"500000", 19, "acceptable", "every increment counted"},
                     {"499731", 1, "forbidden", "lost update under a mutex"}};
  report.first_failure = Finding{7, Symptom::kLostUpdate, "499731, graded \"forbidden\"\nsee above"};
  report.replay = "./racestress --gtest_filter=Counter.LostUpdateMutex --replay=0x2a:7";
  return report;
}

// -----------------------------------------------------------------------------
// ReportJson

TEST(ReportJson, ContainsEveryDocumentedKey) {
  CaseReport racy;
  racy.name = "Counter.LostUpdateRacy";
  racy.racy = true;
  racy.passed = true;
  const std::string json = ReportJson(0x2a, "tsan", {FailedReport(), racy});
  for (const char* key :
       {"\"seed\": \"0x000000000000002a\"", "\"preset\": \"tsan\"", "\"cases\": [",
        "\"name\": \"Counter.LostUpdateMutex\"", "\"expectation\": \"clean\"",
        "\"expectation\": \"racy\"", "\"passed\": false", "\"passed\": true",
        "\"skipped\": false", "\"iterations\": 20", "\"elapsed_ms\": 2000", "\"races\": 1",
        "\"hangs\": 2", "\"crashes\": 3", "\"outcomes\": [", "\"value\": \"500000\"",
        "\"count\": 19", "\"class\": \"forbidden\"", "\"first_failure\": {",
        "\"iteration\": 7", "\"kind\": \"lost_update\"", "\"detail\": ",
        "\"replay\": \"./racestress --gtest_filter=Counter.LostUpdateMutex --replay=0x2a:7\"",
        "\"first_failure\": null"}) {
    EXPECT_THAT(json, HasSubstr(key));
  }
}

TEST(ReportJson, EscapesQuotesBackslashesNewlinesAndControlCharacters) {
  CaseReport report = FailedReport();
  report.name = "Weird.\"Name\"\\";
  report.first_failure->detail = "say \"hi\"\nthen\ttab\x01 end";
  const std::string json = ReportJson(1, "stress", {report});
  EXPECT_THAT(json, HasSubstr("\"name\": \"Weird.\\\"Name\\\"\\\\\""));
  EXPECT_THAT(json, HasSubstr("\"detail\": \"say \\\"hi\\\"\\nthen\\ttab\\u0001 end\""));
  // No raw newline inside any string: every line of the output is structural.
  EXPECT_THAT(json, Not(HasSubstr("\nthen")));
  EXPECT_THAT(json, Not(HasSubstr("\x01")));
}

TEST(ReportJson, EmptyRunIsAnObjectWithNoCases) {
  const std::string json = ReportJson(0, "stress", {});
  EXPECT_THAT(json, HasSubstr("\"cases\": ["));
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.substr(json.size() - 3), "]}\n");
  EXPECT_THAT(json, Not(HasSubstr("\"name\"")));
}

TEST(ReportJson, BracketsAndBracesBalanceOutsideStrings) {
  const std::string json = ReportJson(3, "tsan", {FailedReport(), FailedReport()});
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ASSERT_GE(depth, 0) << "at offset " << i;
  }
  EXPECT_FALSE(in_string);
  EXPECT_EQ(depth, 0);
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
