#include "harness/outcome.h"

#include "absl/strings/str_cat.h"

namespace racestress {
namespace {

// Each symptom's names, in the order a combination lists them: for readers
// (SymptomName) and for machines (SymptomKey).
struct Named {
  Symptom symptom;
  const char* name;
  const char* key;
};
constexpr Named kSymptomNames[] = {
    {Symptom::kRace, "data race", "race"},
    {Symptom::kLostUpdate, "lost update", "lost_update"},
    {Symptom::kForbidden, "forbidden outcome", "forbidden"},
    {Symptom::kHang, "hang", "hang"},
    {Symptom::kCrash, "crash", "crash"},
};

}  // namespace

std::string SymptomName(Symptom symptoms) {
  std::string out;
  for (const Named& n : kSymptomNames) {
    if (Any(symptoms & n.symptom)) absl::StrAppend(&out, out.empty() ? "" : " or ", n.name);
  }
  return out.empty() ? "nothing" : out;
}

const char* SymptomKey(Symptom symptom) {
  for (const Named& n : kSymptomNames) {
    if (symptom == n.symptom) return n.key;
  }
  return "unknown";
}

const char* ExpectName(Expect grade) {
  switch (grade) {
    case Expect::kAcceptable: return "acceptable";
    case Expect::kInteresting: return "interesting";
    case Expect::kForbidden: return "forbidden";
  }
  return "forbidden";
}

}  // namespace racestress
