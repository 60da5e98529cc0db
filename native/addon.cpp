// N-API surface of the engine (declared for TypeScript in src/gan/binding.ts). Slow calls (model
// construction included) run as TorchJobs on the torch thread and return Promises; every libtorch
// exception becomes a JS Error.
#include <napi.h>
#include <torch/torch.h>

#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "flow.h"
#include "model.h"
#include "torch-job.h"
#include "tflite-graph.h"

namespace vidgan {
namespace {

std::vector<uint8_t> copyBytes(const Napi::Value& value, const char* what) {
  if (!value.IsTypedArray()) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a Uint8Array");
  auto array = value.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

/** The guide planes of a call: null/undefined for a model without guides, else N x guides x H x W bytes. */
std::vector<uint8_t> copyGuides(const Napi::Value& value, const Model& model, int64_t n, int64_t h, int64_t w) {
  const int64_t expected = n * model.guides() * h * w;
  if (model.guides() == 0) {
    if (!value.IsNull() && !value.IsUndefined()) throw Napi::TypeError::New(value.Env(), "guides must be null: the model has no guides");
    return {};
  }
  auto bytes = copyBytes(value, "guides");
  if (static_cast<int64_t>(bytes.size()) != expected) {
    throw Napi::RangeError::New(value.Env(), "guides must hold " + std::to_string(expected) + " bytes (N x " +
                                                 std::to_string(model.guides()) + " x H x W) but holds " + std::to_string(bytes.size()));
  }
  return bytes;
}

const uint8_t* dataOrNull(const std::vector<uint8_t>& bytes) { return bytes.empty() ? nullptr : bytes.data(); }

class TrainWorker : public TorchJob {
 public:
  TrainWorker(Napi::Env env, std::shared_ptr<Model> model, std::vector<uint8_t> inputs, std::vector<uint8_t> guides,
              std::vector<uint8_t> targets, std::vector<uint8_t> weights, std::vector<uint8_t> mattes, int64_t n, int64_t h, int64_t w)
      : TorchJob(env), model_(std::move(model)), inputs_(std::move(inputs)), guides_(std::move(guides)), targets_(std::move(targets)),
        weights_(std::move(weights)), mattes_(std::move(mattes)), n_(n), h_(h), w_(w) {}

 protected:
  void Run() override {
    std::lock_guard<std::shared_mutex> lock(model_->mutex);
    losses_ = model_->trainStep(inputs_.data(), dataOrNull(guides_), targets_.data(), n_, h_, w_, dataOrNull(weights_), dataOrNull(mattes_));
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
  std::vector<uint8_t> inputs_, guides_, targets_, weights_, mattes_;
  int64_t n_, h_, w_;
  TrainLosses losses_;
};

class GenerateWorker : public TorchJob {
 public:
  GenerateWorker(Napi::Env env, std::shared_ptr<Model> model, std::vector<uint8_t> inputs, std::vector<uint8_t> guides, int64_t n,
                 int64_t h, int64_t w, bool alpha, int lane)
      : TorchJob(env), model_(std::move(model)), inputs_(std::move(inputs)), guides_(std::move(guides)), n_(n), h_(h), w_(w), alpha_(alpha),
        lane_(lane) {}

 protected:
  void Run() override {
    // Shared: generate calls on the lanes run at once; training and loading wait for them.
    std::shared_lock<std::shared_mutex> lock(model_->mutex);
    result_ = model_->generate(inputs_.data(), dataOrNull(guides_), n_, h_, w_, alpha_, lane_);
  }
  Napi::Value Result(Napi::Env env) override {
    auto out = Napi::Object::New(env);
    out.Set("rgb", Napi::Buffer<uint8_t>::Copy(env, result_.rgb.data(), result_.rgb.size()));
    if (!result_.alpha.empty()) out.Set("alpha", Napi::Buffer<uint8_t>::Copy(env, result_.alpha.data(), result_.alpha.size()));
    return out;
  }

 private:
  std::shared_ptr<Model> model_;
  std::vector<uint8_t> inputs_, guides_;
  int64_t n_, h_, w_;
  bool alpha_;
  int lane_;
  GenerateResult result_;
};

Napi::Array shapeArray(Napi::Env env, at::IntArrayRef sizes) {
  auto shape = Napi::Array::New(env, sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) shape.Set(i, Napi::Number::New(env, static_cast<double>(sizes[i])));
  return shape;
}

class ExportWorker : public TorchJob {
 public:
  ExportWorker(Napi::Env env, std::shared_ptr<Model> model, bool inferenceOnly)
      : TorchJob(env), model_(std::move(model)), inferenceOnly_(inferenceOnly) {}

 protected:
  void Run() override {
    std::lock_guard<std::shared_mutex> lock(model_->mutex);
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

class ImportWorker : public TorchJob {
 public:
  ImportWorker(Napi::Env env, std::shared_ptr<Model> model, bool requireAll)
      : TorchJob(env), model_(std::move(model)), requireAll_(requireAll) {}

  /** Borrows `data` (kept alive by a reference, released on the JavaScript thread with the job). */
  void add(std::string name, std::vector<int64_t> shape, const Napi::Float32Array& data) {
    sources_.push_back({std::move(name), std::move(shape), data.Data()});
    keep_.push_back(Napi::Persistent(data));
  }

 protected:
  void Run() override {
    std::vector<NamedTensor> tensors;
    for (auto& s : sources_) tensors.push_back({s.name, torch::from_blob(const_cast<float*>(s.data), s.shape, torch::kFloat)});
    std::lock_guard<std::shared_mutex> lock(model_->mutex);
    model_->loadState(tensors, requireAll_);
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

 private:
  struct Source {
    std::string name;
    std::vector<int64_t> shape;
    const float* data;
  };
  std::shared_ptr<Model> model_;
  bool requireAll_;
  std::vector<Source> sources_;
  std::vector<Napi::Reference<Napi::Float32Array>> keep_;
};

/** Builds a model on the torch thread and resolves with its JS handle. */
class CreateWorker : public TorchJob {
 public:
  CreateWorker(Napi::Env env, const Napi::FunctionReference& constructor, ModelConfig config)
      : TorchJob(env), constructor_(constructor), config_(config) {}

 protected:
  void Run() override {
    try {
      model_ = std::make_shared<Model>(config_);
    } catch (const std::exception& e) {
      throw std::runtime_error("creating the model failed: " + describe(e));
    }
  }
  Napi::Value Result(Napi::Env env) override;

 private:
  const Napi::FunctionReference& constructor_;
  ModelConfig config_;
  std::shared_ptr<Model> model_;
};

/**
 * Reads the flat options object strictly: every key must be there with the right type and value, and
 * no other key may be (TypeScript builds it; a silent default would hide a mismatch between the two).
 */
class ConfigReader {
 public:
  explicit ConfigReader(const Napi::Object& o) : o_(o) {}

  double number(const char* key) {
    auto v = get(key);
    if (!v.IsNumber()) fail(std::string("model options: ") + key + " must be a number");
    return v.As<Napi::Number>().DoubleValue();
  }

  int integer(const char* key, int min, int max) {
    const double v = number(key);
    if (v != static_cast<double>(static_cast<int64_t>(v)) || v < min || v > max) {
      fail(std::string("model options: ") + key + " must be an integer between " + std::to_string(min) + " and " +
           std::to_string(max) + " but is " + std::to_string(v));
    }
    return static_cast<int>(v);
  }

  /** The index of the value in `choices`. */
  size_t choice(const char* key, const std::vector<std::string>& choices) {
    auto v = get(key);
    const std::string text = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
    for (size_t i = 0; i < choices.size(); ++i) {
      if (text == choices[i]) return i;
    }
    std::string list;
    for (auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    fail(std::string("model options: ") + key + " must be one of " + list + " but is " + (v.IsString() ? "'" + text + "'" : "not a string"));
    return 0;
  }

  /** Throws naming the first key that was given but never read. */
  void rejectUnknown() {
    auto names = o_.GetPropertyNames();
    for (uint32_t i = 0; i < names.Length(); ++i) {
      const std::string name = names.Get(i).ToString().Utf8Value();
      if (!read_.count(name)) fail("model options: unknown key " + name);
    }
  }

 private:
  Napi::Value get(const char* key) {
    read_.insert(key);
    if (!o_.Has(key)) fail(std::string("model options: missing key ") + key);
    return o_.Get(key);
  }

  [[noreturn]] void fail(const std::string& message) { throw Napi::TypeError::New(o_.Env(), message); }

  Napi::Object o_;
  std::set<std::string> read_;
};

ModelConfig readConfig(const Napi::Object& o) {
  ConfigReader r(o);
  ModelConfig c;
  c.net.ngf = r.integer("ngf", 1, 4096);
  c.net.ndf = r.integer("ndf", 1, 4096);
  c.net.depth = r.integer("depth", 2, 12);
  c.net.discLayers = r.integer("discLayers", 1, 8);
  c.net.norm = static_cast<Norm>(r.choice("norm", {"batch", "instance", "none"}));
  c.net.decoder = static_cast<Decoder>(r.choice("decoder", {"transpose", "upsample"}));
  c.net.upsampleMode = static_cast<UpsampleMode>(r.choice("upsampleMode", {"nearest", "bilinear"}));
  c.net.head = static_cast<Head>(r.choice("head", {"rgb", "composite"}));
  c.net.dropout = r.number("dropout");
  c.net.guides = r.integer("guideCount", 0, 64);
  c.net.alphaPriorGuide = r.integer("alphaPriorGuide", -1, 63);
  c.ganLoss = static_cast<GanLoss>(r.choice("ganLoss", {"bce", "lsgan"}));
  c.lambdaL1 = r.number("lambdaL1");
  c.lr = r.number("lr");
  c.beta1 = r.number("beta1");
  c.beta2 = r.number("beta2");
  c.emaDecay = r.number("emaDecay");
  c.bf16 = r.choice("precision", {"fp32", "bf16"}) == 1;
  c.seed = static_cast<uint64_t>(r.number("seed"));
  c.threads = r.integer("threads", 0, 1024);
  c.cuda = r.choice("device", {"cpu", "cuda"}) == 1;
  r.rejectUnknown();
  if (c.net.alphaPriorGuide >= c.net.guides) {
    throw Napi::RangeError::New(o.Env(), "model options: alphaPriorGuide must be -1 or the index of one of the guideCount guides");
  }
  if (c.net.alphaPriorGuide >= 0 && c.net.head != Head::Composite) {
    throw Napi::RangeError::New(o.Env(), "model options: alphaPriorGuide needs the composite head");
  }
  return c;
}

/** JS class `Model`, made only by `createModel(options)`; see NativeModel in src/gan/binding.ts. */
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
                           InstanceMethod("setAlphaLoss", &ModelWrap::SetAlphaLoss),
                           InstanceMethod("getStep", &ModelWrap::GetStep),
                           InstanceMethod("threadCount", &ModelWrap::ThreadCount),
                           InstanceMethod("setStep", &ModelWrap::SetStep),
                           InstanceMethod("parameterCounts", &ModelWrap::ParameterCounts),
                           InstanceMethod("dispose", &ModelWrap::Dispose),
                       });
  }

  /** Wraps a model built on the torch thread; `constructor` is the class Define returned. */
  static Napi::Object Wrap(Napi::Env env, const Napi::FunctionReference& constructor, std::shared_ptr<Model> model) {
    return constructor.New({Napi::External<std::shared_ptr<Model>>::New(env, &model)});
  }

  explicit ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
    if (info.Length() != 1 || !info[0].IsExternal()) {
      throw Napi::TypeError::New(info.Env(), "Model handles come from createModel(options), not from new Model()");
    }
    model_ = *info[0].As<Napi::External<std::shared_ptr<Model>>>().Data();
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

  /** trainStep(inputs, guides, targets, count, height, width, weights?, mattes?) */
  Napi::Value TrainStep(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    const int64_t n = info[3].As<Napi::Number>().Int64Value(), h = info[4].As<Napi::Number>().Int64Value(),
                  w = info[5].As<Napi::Number>().Int64Value();
    auto guides = copyGuides(info[1], *model, n, h, w);
    auto weights = optionalPlanes(info, 6, "weights", n * h * w);
    auto mattes = optionalPlanes(info, 7, "mattes", n * h * w);
    return TorchJob::Start(info.Env(), new TrainWorker(info.Env(), model, copyBytes(info[0], "inputs"), std::move(guides),
                                                       copyBytes(info[2], "targets"), std::move(weights), std::move(mattes), n, h, w));
  }

  /** The optional N x H x W byte planes of argument `index` (empty when undefined or null). */
  static std::vector<uint8_t> optionalPlanes(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t bytes) {
    std::vector<uint8_t> planes;
    if (info.Length() <= index || info[index].IsUndefined() || info[index].IsNull()) return planes;
    planes = copyBytes(info[index], name);
    if (static_cast<int64_t>(planes.size()) != bytes) {
      throw Napi::RangeError::New(info.Env(), std::string(name) + " must hold " + std::to_string(bytes) + " bytes (N x H x W) but holds " +
                                                  std::to_string(planes.size()));
    }
    return planes;
  }

  /** generate(inputs, guides, count, height, width, wantAlpha) */
  Napi::Value Generate(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    const int64_t n = info[2].As<Napi::Number>().Int64Value(), h = info[3].As<Napi::Number>().Int64Value(),
                  w = info[4].As<Napi::Number>().Int64Value();
    auto guides = copyGuides(info[1], *model, n, h, w);
    const int lane = info.Length() > 6 && !info[6].IsUndefined() && !info[6].IsNull() ? info[6].As<Napi::Number>().Int32Value() : -1;
    if (lane < -1 || lane >= kGenerationLanes) {
      throw Napi::RangeError::New(info.Env(), "lane must be -1 (the torch thread) or 0 … " + std::to_string(kGenerationLanes - 1));
    }
    return TorchJob::Start(info.Env(),
                           new GenerateWorker(info.Env(), model, copyBytes(info[0], "inputs"), std::move(guides), n, h, w,
                                              info[5].ToBoolean().Value(), lane),
                           lane);
  }

  Napi::Value ExportState(const Napi::CallbackInfo& info) {
    return TorchJob::Start(info.Env(), new ExportWorker(info.Env(), live(info.Env()), info[0].ToBoolean().Value()));
  }

  Napi::Value StateShapes(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::lock_guard<std::shared_mutex> lock(model->mutex);
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

  /** importState(entries, requireAll): copies into the model on the torch thread; the entries' data is kept alive meanwhile. */
  Napi::Value ImportState(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "importState(entries, requireAll): entries array expected");
    auto entries = info[0].As<Napi::Array>();
    auto* job = new ImportWorker(info.Env(), model, info[1].ToBoolean().Value());
    try {
      for (uint32_t i = 0; i < entries.Length(); ++i) {
        auto entry = entries.Get(i).As<Napi::Object>();
        auto shapeJs = entry.Get("shape").As<Napi::Array>();
        std::vector<int64_t> shape;
        int64_t numel = 1;
        for (uint32_t k = 0; k < shapeJs.Length(); ++k) {
          shape.push_back(shapeJs.Get(k).As<Napi::Number>().Int64Value());
          numel *= shape.back();
        }
        const std::string name = entry.Get("name").As<Napi::String>().Utf8Value();
        if (!entry.Get("data").IsTypedArray() || entry.Get("data").As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
          throw Napi::TypeError::New(info.Env(), "tensor " + name + ": data must be a Float32Array");
        }
        auto data = entry.Get("data").As<Napi::Float32Array>();
        if (static_cast<int64_t>(data.ElementLength()) != numel) {
          throw Napi::Error::New(info.Env(), "tensor " + name + ": data length does not match its shape");
        }
        job->add(name, std::move(shape), data);
      }
    } catch (...) {
      delete job;
      throw;
    }
    return TorchJob::Start(info.Env(), job);
  }

  Napi::Value GetRngState(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::lock_guard<std::shared_mutex> lock(model->mutex);
      auto state = model->rngState().contiguous();
      return Napi::Buffer<uint8_t>::Copy(info.Env(), state.data_ptr<uint8_t>(), state.numel());
    });
  }

  Napi::Value SetRngState(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    auto bytes = copyBytes(info[0], "state");
    return guarded(info.Env(), [&]() -> Napi::Value {
      std::lock_guard<std::shared_mutex> lock(model->mutex);
      auto state = torch::from_blob(bytes.data(), {static_cast<int64_t>(bytes.size())}, torch::kUInt8).clone();
      model->setRngState(state);
      return info.Env().Undefined();
    });
  }

  Napi::Value SetLearningRate(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    std::lock_guard<std::shared_mutex> lock(model->mutex);
    model->setLearningRate(info[0].As<Napi::Number>().DoubleValue());
    return info.Env().Undefined();
  }

  Napi::Value SetAlphaLoss(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    std::lock_guard<std::shared_mutex> lock(model->mutex);
    const double edgeWeight = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : 0.0;
    model->setAlphaLoss(info[0].As<Napi::Number>().DoubleValue(), edgeWeight);
    return info.Env().Undefined();
  }

  Napi::Value ThreadCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), live(info.Env())->threadCount());
  }

  Napi::Value GetStep(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(live(info.Env())->step()));
  }

  Napi::Value SetStep(const Napi::CallbackInfo& info) {
    auto model = live(info.Env());
    std::lock_guard<std::shared_mutex> lock(model->mutex);
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

Napi::Value CreateWorker::Result(Napi::Env env) { return ModelWrap::Wrap(env, constructor_, std::move(model_)); }

/** createModel(options): Promise<Model>. The options are read strictly here; the model is built on the torch thread. */
Napi::Value CreateModel(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "createModel(options): options object expected");
  ModelConfig config = readConfig(info[0].As<Napi::Object>());
  if (config.cuda && !torch::cuda::is_available()) {
    throw Napi::Error::New(info.Env(), "device 'cuda' was asked for but the linked libtorch has no CUDA (or no GPU is visible)");
  }
  auto* constructor = static_cast<Napi::FunctionReference*>(info.Data());
  return TorchJob::Start(info.Env(), new CreateWorker(info.Env(), *constructor, config));
}

Napi::Value CudaAvailable(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), torch::cuda::is_available()); }

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(static_cast<int>(info[0].As<Napi::Number>().Int32Value()));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), at::get_num_threads()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // The class stays reachable only through createModel; its reference lives as long as the environment.
  auto* constructor = new Napi::FunctionReference(Napi::Persistent(ModelWrap::Define(env)));
  exports.Set("createModel", Napi::Function::New(env, CreateModel, "createModel", constructor));
  exports.Set("cudaAvailable", Napi::Function::New(env, CudaAvailable));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("generationLanes", Napi::Number::New(env, kGenerationLanes));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads));
  exports.Set("torchVersion", Napi::String::New(env, TORCH_VERSION));
  registerFlow(env, exports);
  registerTfliteGraph(env, exports);
  return exports;
}

}  // namespace
}  // namespace vidgan

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return vidgan::Init(env, exports); }

NODE_API_MODULE(vidgan_native, InitModule)
