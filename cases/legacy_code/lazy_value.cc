#include "cases/legacy_code/lazy_value.h"

namespace legacy {

int LazyValue::Compute() {
  ++computations_;
  int value = 0;
  for (int i = 0; i < 6; ++i) value += 7;
  return value;
}

int LazyValue::GetChecked() {
  if (!computed_) {
    value_ = Compute();
    computed_ = true;
  }
  return value_;
}

int LazyValue::GetOnce() {
  std::call_once(once_, [this] { value_ = Compute(); });
  return value_;
}

}  // namespace legacy
