// N-API surface of the engine (declared for TypeScript in src/gan/binding.ts). Slow calls run in
// AsyncWorkers and return Promises; every libtorch exception becomes a JS Error.
#include <napi.h>
#include <torch/torch.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "flow.h"
#include "model.h"

namespace vidgan {
namespace {

std::string describe(const std::exception& e) {
  if (auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

/**
 * The one thread that runs libtorch work. libuv's pool rotates calls over four threads and each would
 * keep its own OpenMP team (measured: a 400x400 forward took 58 ms from changing threads, 42 ms from one).
 * Never destroyed, so exiting never waits for a running step.
 */
class TorchThread {
 public:
  static TorchThread& instance() {
    static TorchThread* thread = new TorchThread();
    return *thread;
  }

  /** Runs `fn` on the torch thread and waits for it; its exception is rethrown here. */
  void run(std::function<void()> fn) {
    std::packaged_task<void()> task(std::move(fn));
    auto done = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
    done.get();
  }

 private:
  TorchThread() : thread_([this] { loop(); }) { thread_.detach(); }

  void loop() {
    for (;;) {
      std::packaged_task<void()> task;
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
  std::deque<std::packaged_task<void()>> tasks_;
  std::thread thread_;
};

/** An AsyncWorker that settles a Promise; a DivergedError rejects with `error.diverged = true`. */
class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  virtual void Run() = 0;
  virtual Napi::Value Result(Napi::Env env) = 0;

  void Execute() override {
    try {
      TorchThread::instance().run([this] { Run(); });
    } catch (const DivergedError& e) {
      diverged_ = true;
      fail(e.what());
    } catch (const std::exception& e) {
      fail(describe(e));
    } catch (...) {
      fail("unknown native error");
    }
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    try {
      deferred_.Resolve(Result(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }
  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    Napi::Object err = Napi::Error::New(Env(), message_).Value();
    if (diverged_) err.Set("diverged", true);
    deferred_.Reject(err);
  }

 private:
  void fail(const std::string& message) {
    message_ = message;
    SetError(message);
  }

  Napi::Promise::Deferred deferred_;
  std::string message_;
  bool diverged_ = false;
};

std::vector<uint8_t> copyBytes(const Napi::Value& value, const char* what) {
  if (!value.IsTypedArray()) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a Uint8Array");
  auto array = value.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

class TrainWorker : public PromiseWorker {
 public:
  TrainWorker(Napi::Env env, std::shared_ptr<Model> model, std::vector<uint8_t> inputs, std::vector<uint8_t> targets,
              int64_t n, int64_t h, int64_t w)
      : PromiseWorker(env), model_(std::move(model)), inputs_(std::move(inputs)), targets_(std::move(targets)), n_(n), h_(h), w_(w) {}

 protected:
  void Run() override {
    std::lock_guard<std::mutex> lock(model_->mutex);
    losses_ = model_->trainStep(inputs_.data(), targets_.data(), n_, h_, w_);
  }
  Napi::Value Result(Napi::Env env) override {
    auto out = Napi::Object::New(env);
    out.Set("gan", losses_.gan);
    out.Set("l1", losses_.l1);
    out.Set("d", losses_.d);
    out.Set("total", losses_.total);
    return out;
  }

 private:
  std::shared_ptr<Model> model_;
  std::vector<uint8_t> inputs_, targets_;
  int64_t n_, h_, w_;
  TrainLosses losses_;
};

class GenerateWorker : public PromiseWorker {
 public:
  GenerateWorker(Napi::Env env, std::shared_ptr<Model> model, std::vector<uint8_t> inputs, int64_t n, int64_t h, int64_t w,
                 bool alpha)
      : PromiseWorker(env), model_(std::move(model)), inputs_(std::move(inputs)), n_(n), h_(h), w_(w), alpha_(alpha) {}

 protected:
  void Run() override {
    std::lock_guard<std::mutex> lock(model_->mutex);
    result_ = model_->generate(inputs_.data(), n_, h_, w_, alpha_);
  }
  Napi::Value Result(Napi::Env env) override {
    auto out = Napi::Object::New(env);
    out.Set("rgb", Napi::Buffer<uint8_t>::Copy(env, result_.rgb.data(), result_.rgb.size()));
    if (!result_.alpha.empty()) out.Set("alpha", Napi::Buffer<uint8_t>::Copy(env, result_.alpha.data(), result_.alpha.size()));
    return out;
  }

 private:
  std::shared_ptr<Model> model_;
  std::vector<uint8_t> inputs_;
  int64_t n_, h_, w_;
  bool alpha_;
  GenerateResult result_;
};

Napi::Array shapeArray(Napi::Env env, at::IntArrayRef sizes) {
  auto shape = Napi::Array::New(env, sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) shape.Set(i, Napi::Number::New(env, static_cast<double>(sizes[i])));
  return shape;
}

class ExportWorker : public PromiseWorker {
 public:
  ExportWorker(Napi::Env env, std::shared_ptr<Model> model, bool inferenceOnly)
      : PromiseWorker(env), model_(std::move(model)), inferenceOnly_(inferenceOnly) {}

 protected:
  void Run() override {
    std::lock_guard<std::mutex> lock(model_->mutex);
    torch::NoGradGuard noGrad;
    for (auto& t : model_->state(inferenceOnly_)) {
      tensors_.push_back({t.name, t.tensor.detach().to(torch::kCPU, torch::kFloat).contiguous().clone()});
    }
  }
  Napi::Value Result(Napi::Env env) override {
    auto out = Napi::Array::New(env, tensors_.size());
    for (size_t i = 0; i < tensors_.size(); ++i) {
      auto& t = tensors_[i].tensor;
      auto buffer = Napi::ArrayBuffer::New(env, t.numel() * sizeof(float));
      std::memcpy(buffer.Data(), t.data_ptr<float>(), t.numel() * sizeof(float));
      auto entry = Napi::Object::New(env);
      entry.Set("name", tensors_[i].name);
      entry.Set("shape", shapeArray(env, t.sizes()));
      entry.Set("data", Napi::Float32Array::New(env, t.numel(), buffer, 0));
      out.Set(i, entry);
      t = torch::Tensor();
    }
    return out;
  }

 private:
  std::shared_ptr<Model> model_;
  bool inferenceOnly_;
  std::vector<NamedTensor> tensors_;
};

template <typename T>
T pick(const Napi::Object& o, const char* key, T fallback);

template <>
double pick(const Napi::Object& o, const char* key, double fallback) {
  auto v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

template <>
std::string pick(const Napi::Object& o, const char* key, std::string fallback) {
  auto v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : fallback;
}

ModelConfig readConfig(const Napi::Object& o) {
  ModelConfig c;
  c.net.ngf = static_cast<int>(pick<double>(o, "ngf", 64));
  c.net.ndf = static_cast<int>(pick<double>(o, "ndf", 64));
  c.net.depth = static_cast<int>(pick<double>(o, "depth", 8));
  c.net.discLayers = static_cast<int>(pick<double>(o, "discLayers", 3));
  const std::string norm = pick<std::string>(o, "norm", "batch");
  c.net.norm = norm == "instance" ? Norm::Instance : norm == "none" ? Norm::None : Norm::Batch;
  c.net.decoder = pick<std::string>(o, "decoder", "transpose") == "upsample" ? Decoder::Upsample : Decoder::Transpose;
  c.net.upsampleMode = pick<std::string>(o, "upsampleMode", "nearest") == "bilinear" ? UpsampleMode::Bilinear : UpsampleMode::Nearest;
  c.net.head = pick<std::string>(o, "head", "rgb") == "composite" ? Head::Composite : Head::Rgb;
  c.net.dropout = pick<double>(o, "dropout", 0.5);
  c.ganLoss = pick<std::string>(o, "ganLoss", "bce") == "lsgan" ? GanLoss::Lsgan : GanLoss::Bce;
  c.lambdaL1 = pick<double>(o, "lambdaL1", 100);
  c.lr = pick<double>(o, "lr", 2e-4);
  c.beta1 = pick<double>(o, "beta1", 0.5);
  c.beta2 = pick<double>(o, "beta2", 0.999);
  c.emaDecay = pick<double>(o, "emaDecay", 0);
  c.bf16 = pick<std::string>(o, "precision", "fp32") == "bf16";
  c.seed = static_cast<uint64_t>(pick<double>(o, "seed", 0));
  c.threads = static_cast<int>(pick<double>(o, "threads", 0));
  c.cuda = pick<std::string>(o, "device", "cpu") == "cuda";
  return c;
}

/** JS class `Model`: `new Model(options)`; see NativeModel in src/gan/binding.ts. */
class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Model",
                       {
                           InstanceMethod("trainStep", &ModelWrap::TrainStep),
                           InstanceMethod("generate", &ModelWrap::Generate),
                           InstanceMethod("exportState", &ModelWrap::ExportState),
                           InstanceMethod("stateShapes", &ModelWrap::StateShapes),
                           InstanceMethod("importState", &ModelWrap::ImportState),
                           InstanceMethod("getRngState", &ModelWrap::GetRngState),
                           InstanceMethod("setRngState", &ModelWrap::SetRngState),
                           InstanceMethod("setLearningRate", &ModelWrap::SetLearningRate),
                           InstanceMethod("getStep", &ModelWrap::GetStep),
                           InstanceMethod("setStep", &ModelWrap::SetStep),
                           InstanceMethod("parameterCounts", &ModelWrap::ParameterCounts),
                           InstanceMethod("dispose", &ModelWrap::Dispose),
                       });
  }

  explicit ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "new Model(options): options object expected");
    ModelConfig config = readConfig(info[0].As<Napi::Object>());
    if (config.cuda && !torch::cuda::is_available()) {
      throw Napi::Error::New(info.Env(), "device 'cuda' was asked for but the linked libtorch has no CUDA (or no GPU is visible)");
    }
    try {
      model_ = std::make_shared<Model>(config);
    } catch (const std::exception& e) {
      throw Napi::Error::New(info.Env(), "creating the model failed: " + describe(e));
    }
  }

 private:
  std::shared_ptr<Model> live(const Napi::Env& env) {
    if (!model_) throw Napi::Error::New(env, "the model was disposed");
    return model_;
  }

  template <typename Fn>
  Napi::Value guarded(const Napi::Env& env, Fn fn) {
    try {
      return fn();
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, describe(e));
    }
  }

  Napi::Value TrainStep(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    auto* worker = new TrainWorker(info.Env(), model, copyBytes(info[0], "inputs"), copyBytes(info[1], "targets"),
                                   info[2].As<Napi::Number>().Int64Value(), info[3].As<Napi::Number>().Int64Value(),
                                   info[4].As<Napi::Number>().Int64Value());
    auto promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value Generate(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    auto* worker = new GenerateWorker(info.Env(), model, copyBytes(info[0], "inputs"), info[1].As<Napi::Number>().Int64Value(),
                                      info[2].As<Napi::Number>().Int64Value(), info[3].As<Napi::Number>().Int64Value(),
                                      info[4].ToBoolean().Value());
    auto promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value ExportState(const Napi::CallbackInfo& info) {
    auto* worker = new ExportWorker(info.Env(), live(info.Env()), info[0].ToBoolean().Value());
    auto promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value StateShapes(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::lock_guard<std::mutex> lock(model->mutex);
      auto state = model->state(info[0].ToBoolean().Value());
      auto out = Napi::Array::New(info.Env(), state.size());
      for (size_t i = 0; i < state.size(); ++i) {
        auto entry = Napi::Object::New(info.Env());
        entry.Set("name", state[i].name);
        entry.Set("shape", shapeArray(info.Env(), state[i].tensor.sizes()));
        out.Set(i, entry);
      }
      return out;
    });
  }

  Napi::Value ImportState(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "importState(entries, requireAll): entries array expected");
    auto entries = info[0].As<Napi::Array>();
    const bool requireAll = info[1].ToBoolean().Value();
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::vector<NamedTensor> tensors;
      for (uint32_t i = 0; i < entries.Length(); ++i) {
        auto entry = entries.Get(i).As<Napi::Object>();
        auto shapeJs = entry.Get("shape").As<Napi::Array>();
        std::vector<int64_t> shape;
        int64_t numel = 1;
        for (uint32_t k = 0; k < shapeJs.Length(); ++k) {
          shape.push_back(shapeJs.Get(k).As<Napi::Number>().Int64Value());
          numel *= shape.back();
        }
        auto data = entry.Get("data").As<Napi::Float32Array>();
        const std::string name = entry.Get("name").As<Napi::String>().Utf8Value();
        if (static_cast<int64_t>(data.ElementLength()) != numel) {
          throw Napi::Error::New(info.Env(), "tensor " + name + ": data length does not match its shape");
        }
        // from_blob borrows the JS memory; loadState copies it before this call returns.
        tensors.push_back({name, torch::from_blob(data.Data(), shape, torch::kFloat)});
      }
      std::lock_guard<std::mutex> lock(model->mutex);
      model->loadState(tensors, requireAll);
      return info.Env().Undefined();
    });
  }

  Napi::Value GetRngState(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::lock_guard<std::mutex> lock(model->mutex);
      auto state = model->rngState().contiguous();
      return Napi::Buffer<uint8_t>::Copy(info.Env(), state.data_ptr<uint8_t>(), state.numel());
    });
  }

  Napi::Value SetRngState(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    auto bytes = copyBytes(info[0], "state");
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::lock_guard<std::mutex> lock(model->mutex);
      auto state = torch::from_blob(bytes.data(), {static_cast<int64_t>(bytes.size())}, torch::kUInt8).clone();
      model->setRngState(state);
      return info.Env().Undefined();
    });
  }

  Napi::Value SetLearningRate(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    std::lock_guard<std::mutex> lock(model->mutex);
    model->setLearningRate(info[0].As<Napi::Number>().DoubleValue());
    return info.Env().Undefined();
  }

  Napi::Value GetStep(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(live(info.Env())->step()));
  }

  Napi::Value SetStep(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    std::lock_guard<std::mutex> lock(model->mutex);
    model->setStep(info[0].As<Napi::Number>().Int64Value());
    return info.Env().Undefined();
  }

  Napi::Value ParameterCounts(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    auto out = Napi::Object::New(info.Env());
    out.Set("generator", static_cast<double>(model->generatorParameters()));
    out.Set("discriminator", static_cast<double>(model->discriminatorParameters()));
    return out;
  }

  /** Drops this handle's reference; running workers keep the model alive until they finish. */
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    model_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<Model> model_;
};

Napi::Value CudaAvailable(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), torch::cuda::is_available()); }

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(static_cast<int>(info[0].As<Napi::Number>().Int32Value()));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), at::get_num_threads()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Model", ModelWrap::Define(env));
  exports.Set("cudaAvailable", Napi::Function::New(env, CudaAvailable));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads));
  exports.Set("torchVersion", Napi::String::New(env, TORCH_VERSION));
  registerFlow(env, exports);
  return exports;
}

}  // namespace
}  // namespace vidgan

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return vidgan::Init(env, exports); }

NODE_API_MODULE(vidgan_native, InitModule)
