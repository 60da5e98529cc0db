// How slow native calls run: on the torch thread (or, for generate, a generation lane), settling a
// Promise on the JavaScript thread through a thread-safe function. No libuv pool thread waits meanwhile, so file I/O and sharp keep their pool.
#pragma once

#include <napi.h>
#include <torch/torch.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "model.h"

namespace vidgan {

/** The message of an exception, without libtorch's C++ backtrace. */
inline std::string describe(const std::exception& e) {
  if (auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

/**
 * A thread that runs libtorch work: the torch thread runs every call in order; each generation lane
 * (model.h) runs the generate calls sent to it. Fixed threads, not libuv's rotating pool: each thread
 * keeps its own OpenMP team (measured: a 400x400 forward took 58 ms from changing threads, 42 ms from one).
 * Never destroyed, so exiting never waits for a running step.
 */
class TorchThread {
 public:
  static TorchThread& instance() {
    static TorchThread* thread = new TorchThread();
    return *thread;
  }

  /** Generation lane `k` (0 … kGenerationLanes - 1): a thread of its own beside the torch thread. */
  static TorchThread& lane(int k) {
    static TorchThread** lanes = [] {
      auto** made = new TorchThread*[kGenerationLanes];
      for (int i = 0; i < kGenerationLanes; ++i) made[i] = new TorchThread();
      return made;
    }();
    return *lanes[k];
  }

  /** Queues `task`; tasks run one at a time, in order. */
  void post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

  /**
   * Runs `fn` on the torch thread and waits for it; its exception is rethrown here. This parks the
   * calling thread: prefer a TorchJob, which does not.
   */
  void run(std::function<void()> fn) {
    auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
    auto done = task->get_future();
    post([task] { (*task)(); });
    done.get();
  }

 private:
  TorchThread() : thread_([this] { loop(); }) { thread_.detach(); }

  void loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::thread thread_;
};

/**
 * One slow call: `Run` on the torch thread, then `Result` on the JavaScript thread to resolve the
 * Promise. An exception from `Run` rejects it with an Error; a DivergedError sets `error.diverged = true`.
 * The pending thread-safe function keeps the event loop alive until the Promise settles.
 */
class TorchJob {
 public:
  explicit TorchJob(Napi::Env env) : deferred_(Napi::Promise::Deferred::New(env)) {}
  virtual ~TorchJob() = default;

  /** Queues `job` (owned from here on) on the torch thread, or on generation lane `lane` when >= 0, and returns its Promise. */
  static Napi::Promise Start(Napi::Env env, TorchJob* job, int lane = -1) {
    auto promise = job->deferred_.Promise();
    auto noop = Napi::Function::New(env, [](const Napi::CallbackInfo&) {});
    auto tsfn = Napi::ThreadSafeFunction::New(env, noop, "vidgan.torch", 0, 1);
    (lane < 0 ? TorchThread::instance() : TorchThread::lane(lane)).post([job, tsfn]() mutable {
      job->Execute();
      // The callback deletes the job on the JavaScript thread; if the environment is closing it never
      // runs and the job is left to the process's exit.
      tsfn.BlockingCall(job, [](Napi::Env env, Napi::Function, TorchJob* done) {
        done->Settle(env);
        delete done;
      });
      tsfn.Release();
    });
    return promise;
  }

 protected:
  /** The work, on the torch thread or a lane. May throw. */
  virtual void Run() = 0;
  /** The Promise's value, on the JavaScript thread. May throw Napi::Error. */
  virtual Napi::Value Result(Napi::Env env) = 0;

 private:
  void Execute() {
    try {
      Run();
    } catch (const DivergedError& e) {
      fail(e.what(), true);
    } catch (const std::exception& e) {
      fail(describe(e), false);
    } catch (...) {
      fail("unknown native error", false);
    }
  }

  void Settle(Napi::Env env) {
    Napi::HandleScope scope(env);
    if (failed_) {
      Napi::Object err = Napi::Error::New(env, message_).Value();
      if (diverged_) err.Set("diverged", true);
      deferred_.Reject(err);
      return;
    }
    try {
      deferred_.Resolve(Result(env));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    } catch (const std::exception& e) {
      deferred_.Reject(Napi::Error::New(env, describe(e)).Value());
    }
  }

  void fail(const std::string& message, bool diverged) {
    failed_ = true;
    diverged_ = diverged;
    message_ = message;
  }

  Napi::Promise::Deferred deferred_;
  std::string message_;
  bool failed_ = false;
  bool diverged_ = false;
};

}  // namespace vidgan
