// -----------------------------------------------------------------------------
// cases/thread_subclass/start_in_constructor.cc
// -----------------------------------------------------------------------------
//
// `class MyThread(threading.Thread)` overriding `run()`, in C++: a thread
// class with a virtual Run(). The actor creates two, starts and joins them.
// Expected: 2 threads x 1 "Hello from a thread!" = 2 greetings. If the base
// class starts the thread in its own constructor, the new thread calls Run()
// through the vtable pointer while the derived constructor is still writing
// it: a data race, and when the thread wins, the base class's Run() runs.
//
// Seed: 004_ab661c4dcfa37486.txt, "Running multiple threads" (class MyThread).
// Run:  ctest --preset tsan -R '^ThreadSubclass\.'

#include "absl/time/time.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kThreads = 2;
constexpr const char* kHello = "Hello from a thread!";
constexpr const char* kBaseRun = "base class Run()";

// The bug: the base constructor starts the thread, before the derived
// constructor has installed its vtable.
class SelfStartingThread {
 public:
  SelfStartingThread() : thread_([this] { Run(); }) {
    point();  // the rest of the base constructor
  }
  virtual ~SelfStartingThread() = default;
  void Join() { thread_.Join(); }

  const char* said = nullptr;  // written by the thread, read after Join()

 protected:
  virtual void Run() { said = kBaseRun; }

 private:
  racestress::Thread thread_;
};

// The fix: construction and start are separate steps, as in Python.
class Thread {
 public:
  virtual ~Thread() = default;
  void Start() { thread_ = racestress::Thread([this] { Run(); }); }
  void Join() { thread_.Join(); }

  const char* said = nullptr;  // written by the thread, read after Join()

 protected:
  virtual void Run() = 0;

 private:
  racestress::Thread thread_;
};

template <typename Base>
class MyThread final : public Base {
 protected:
  void Run() override { this->said = kHello; }
};

// The actor: thread1 = MyThread(); thread2 = MyThread(); start both; join.
template <typename Base>
struct TwoThreads {
  int greetings = 0;

  void Main() {
    MyThread<Base> thread1;
    MyThread<Base> thread2;
    if constexpr (requires { thread1.Start(); }) {
      thread1.Start();
      thread2.Start();
    }
    thread1.Join();
    thread2.Join();
    for (const char* said : {thread1.said, thread2.said}) {
      greetings += said == kHello;
    }
  }
  int Result() const { return greetings; }
};

// The bug: started in the base constructor.
using StartedInConstructor = TwoThreads<SelfStartingThread>;
// The fix: Start() after construction.
using StartedAfterConstruction = TwoThreads<Thread>;

}  // namespace

RACESTRESS_CASE(ThreadSubclass, VirtualRunStartInConstructor, StartedInConstructor)
    .Actor(&StartedInConstructor::Main)
    .Outcome(Equals(kThreads), Expect::kAcceptable, "both threads ran the override in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "a thread ran the base class's Run(): the derived vtable was not yet installed")
    .TimeBudget(absl::Seconds(5))
    .Racy(Symptom::kRace | Symptom::kForbidden);

RACESTRESS_CASE(ThreadSubclass, VirtualRunSeparateStart, StartedAfterConstruction)
    .Actor(&StartedAfterConstruction::Main)
    .Outcome(Equals(kThreads), Expect::kAcceptable, "both threads ran the override")
    .Outcome(Otherwise(), Expect::kForbidden, "a thread ran something else");

}  // namespace racestress::cases
