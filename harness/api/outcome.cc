#include "harness/outcome.h"

#include "absl/strings/str_cat.h"

namespace racestress {

std::string SymptomName(Symptom symptoms) {
  struct Named {
    Symptom symptom;
    const char* name;
  };
  static constexpr Named kNames[] = {
      {Symptom::kRace, "data race"},   {Symptom::kLostUpdate, "lost update"},
      {Symptom::kForbidden, "forbidden outcome"}, {Symptom::kHang, "hang"},
      {Symptom::kCrash, "crash"},
  };
  std::string out;
  for (const Named& n : kNames) {
    if (Any(symptoms & n.symptom)) absl::StrAppend(&out, out.empty() ? "" : " or ", n.name);
  }
  return out.empty() ? "nothing" : out;
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
