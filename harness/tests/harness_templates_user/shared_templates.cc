#include "harness/tests/harness_templates_user/shared_templates.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace templates_user {

long SumThroughContainers(int n) {
  std::vector<int> values;
  std::string text;
  for (int i = 1; i <= n; ++i) {
    values.push_back(i);
    text.append(1, static_cast<char>('a' + i % 26));
  }
  long sum = 0;
  std::map<const void*, int> by_address;
  for (const int& v : values) by_address.emplace(&v, v);
  for (const auto& [address, v] : by_address) sum += v;
  std::deque<int> queue(values.begin(), values.end());
  while (!queue.empty()) {
    sum += queue.front();
    queue.pop_front();
  }
  // What the scheduler's strategies and deadlock reports use themselves.
  std::vector<std::pair<long, long>> pairs;
  for (int i = n; i > 0; --i) pairs.emplace_back(i, -i);
  std::sort(pairs.begin(), pairs.end());
  std::vector<long> longs;
  longs.resize(static_cast<size_t>(n), 1);
  for (long v : longs) sum += v;
  const std::string joined = text + "|" + std::to_string(pairs.front().first) + text;
  return sum + static_cast<long>(joined.size());
}

void LockBoth(std::mutex& first, std::mutex& second) {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

}  // namespace templates_user
