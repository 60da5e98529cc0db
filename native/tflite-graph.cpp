// The graph executor behind the person prior (declared for TypeScript in src/gan/binding.ts as
// NativeTfliteGraph). TypeScript validates the graph; this file trusts its shape but turns every
// libtorch exception into a JS error.
#include "tflite-graph.h"

#include "torch-job.h"

#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

namespace vidgan {

namespace {

namespace F = torch::nn::functional;

/** In place: `x` is always an operator's fresh output. */
torch::Tensor activate(torch::Tensor x, Activation a) {
  switch (a) {
    case Activation::Relu:
      return x.relu_();
    case Activation::Relu6:
      return x.clamp_(0, 6);
    case Activation::HardSwish:
      return torch::hardswish_(x);
    default:
      return x;
  }
}

/** TFLite SAME padding can put one more row or column after than before: pad explicitly then. */
torch::Tensor padded(const torch::Tensor& x, const std::vector<int64_t>& pad, std::vector<int64_t>& symmetric) {
  if (pad[0] == pad[1] && pad[2] == pad[3]) {
    symmetric = {pad[0], pad[2]};
    return x;
  }
  symmetric = {0, 0};
  return torch::constant_pad_nd(x, {pad[2], pad[3], pad[0], pad[1]}, 0);
}

/** A convolution, through oneDNN where that is faster. */
torch::Tensor convolve(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                       at::IntArrayRef stride, at::IntArrayRef pad, at::IntArrayRef dilation, int64_t groups) {
  // libtorch sends 1x1 convolutions on one thread to im2col + BLAS ("THNN is faster when
  // single-threaded"), which with Debian's reference BLAS is 7x slower than oneDNN (measured: 16->16
  // channels at 128x128, 1.8 ms vs 0.26 ms). oneDNN's fixed cost loses on the 1x1 maps of the
  // squeeze-excitation blocks, so those keep the default path.
  static const bool oneDnn = at::hasMKLDNN();
  return oneDnn && x.size(2) * x.size(3) >= 64
             ? at::mkldnn_convolution(x.contiguous(), weight, bias, pad, stride, dilation, groups)
             : torch::conv2d(x, weight, bias, stride, pad, dilation, groups);
}

/**
 * A transposed convolution. When the kernel equals the stride (the selfie model's 2x2 stride-2 one) the
 * output cells do not overlap, so it is one 1x1 convolution to Cout x k x k channels and a pixel shuffle:
 * the same sums, through oneDNN. libtorch's slow_conv_transpose2d goes to BLAS instead, which was slow with
 * the reference BLAS and spun with OpenBLAS's threads when the generator ran beside it on a busy machine.
 */
torch::Tensor transposedConv(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                             const std::vector<int64_t>& stride) {
  const int64_t k = weight.size(2);
  if (weight.size(3) != k || stride.size() != 2 || stride[0] != k || stride[1] != k) {
    return torch::conv_transpose2d(x, weight, bias, stride);
  }
  const int64_t cin = weight.size(0), cout = weight.size(1);
  // weight is (Cin, Cout, k, k); the 1x1 convolution's output channel c*k*k + a*k + b is out[c] at (a, b).
  auto pointwise = weight.permute({1, 2, 3, 0}).reshape({cout * k * k, cin, 1, 1}).contiguous();
  auto y = torch::pixel_shuffle(convolve(x, pointwise, torch::Tensor(), {1, 1}, {0, 0}, {1, 1}, 1), k);
  return bias.defined() ? y + bias.view({1, cout, 1, 1}) : y;
}

torch::Tensor runOp(const GraphOp& op, const std::vector<torch::Tensor>& in) {
  switch (op.kind) {
    case GraphOpKind::Conv2d: {
      std::vector<int64_t> pad;
      auto x = padded(in[0], op.pad, pad);
      return activate(convolve(x, in[1], in.size() > 2 ? in[2] : torch::Tensor(), op.stride, pad, op.dilation, op.groups),
                      op.activation);
    }
    case GraphOpKind::ConvTranspose2d: {
      // The full transposed convolution, then the output window TFLite keeps.
      auto y = transposedConv(in[0], in[1], in.size() > 2 ? in[2] : torch::Tensor(), op.stride);
      y = y.narrow(2, op.pad[0], op.size[0]).narrow(3, op.pad[2], op.size[1]);
      return activate(y, op.activation);
    }
    case GraphOpKind::Add:
      return activate(in[0] + in[1], op.activation);
    case GraphOpKind::Mul:
      return activate(in[0] * in[1], op.activation);
    case GraphOpKind::HardSwish:
      return torch::hardswish(in[0]);
    case GraphOpKind::Relu:
      return torch::relu(in[0]);
    case GraphOpKind::Relu6:
      return torch::clamp(in[0], 0, 6);
    case GraphOpKind::Sigmoid:
      return torch::sigmoid(in[0]);
    case GraphOpKind::GlobalAvgPool:
      return activate(in[0].mean({2, 3}, true), op.activation);
    case GraphOpKind::AvgPool2d:
      // TFLite averages over the window's cells inside the image only.
      return activate(torch::avg_pool2d(in[0], op.kernel, op.stride, {op.pad[0], op.pad[2]}, false, false), op.activation);
    case GraphOpKind::ResizeBilinear:
      // align_corners=false in torch is TFLite's half_pixel_centers (both clamp the source to the edge).
      return F::interpolate(in[0], F::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{op.size[0], op.size[1]})
                                       .mode(torch::kBilinear)
                                       .align_corners(op.alignCorners));
  }
  throw std::runtime_error("unknown graph operator");
}

}  // namespace

TfliteGraph::TfliteGraph(std::vector<GraphOp> ops, std::vector<std::pair<int64_t, torch::Tensor>> constants, int64_t tensorCount,
                         int64_t input, int64_t output, int64_t inputHeight, int64_t inputWidth)
    : ops_(std::move(ops)), constants_(tensorCount), input_(input), output_(output), inputHeight_(inputHeight), inputWidth_(inputWidth) {
  for (auto& c : constants) constants_.at(c.first) = std::move(c.second);
}

torch::Tensor TfliteGraph::forward(const torch::Tensor& nchw) {
  std::vector<torch::Tensor> values = constants_;
  values.at(input_) = nchw;
  // Frees each activation after its last reader.
  std::vector<int64_t> lastUse(values.size(), -1);
  for (size_t i = 0; i < ops_.size(); ++i)
    for (auto t : ops_[i].inputs) lastUse.at(t) = static_cast<int64_t>(i);
  for (size_t i = 0; i < ops_.size(); ++i) {
    const auto& op = ops_[i];
    std::vector<torch::Tensor> in;
    for (auto t : op.inputs) {
      if (!values.at(t).defined()) throw std::runtime_error("graph operator " + std::to_string(i) + " reads tensor " + std::to_string(t) + " before it is computed");
      in.push_back(values[t]);
    }
    values.at(op.output) = runOp(op, in);
    for (auto t : op.inputs)
      if (lastUse[t] == static_cast<int64_t>(i) && !constants_[t].defined() && t != output_) values[t] = torch::Tensor();
  }
  if (!values.at(output_).defined()) throw std::runtime_error("the graph never computes its output");
  return values[output_];
}

std::vector<uint8_t> TfliteGraph::run(const uint8_t* frames, int64_t n, int64_t h, int64_t w) {
  c10::InferenceMode inference;
  auto x = torch::from_blob(const_cast<uint8_t*>(frames), {n, h, w, 3}, torch::kUInt8).permute({0, 3, 1, 2}).to(torch::kFloat).div_(255.0);
  const auto bilinear = [](const torch::Tensor& t, int64_t th, int64_t tw) {
    if (t.size(2) == th && t.size(3) == tw) return t;
    return F::interpolate(t, F::InterpolateFuncOptions().size(std::vector<int64_t>{th, tw}).mode(torch::kBilinear).align_corners(false));
  };
  auto y = forward(bilinear(x.contiguous(), inputHeight_, inputWidth_));
  if (y.dim() != 4 || y.size(1) != 1) throw std::runtime_error("the graph's output is not one channel");
  y = bilinear(y, h, w).mul(255.0).round().clamp(0, 255).to(torch::kUInt8).contiguous();
  return std::vector<uint8_t>(y.data_ptr<uint8_t>(), y.data_ptr<uint8_t>() + y.numel());
}

namespace {

/** A slow graph call as a TorchJob: `work` on the torch thread, `result` on the JavaScript thread. */
class GraphJob : public TorchJob {
 public:
  GraphJob(Napi::Env env, std::function<void()> work, std::function<Napi::Value(Napi::Env)> result)
      : TorchJob(env), work_(std::move(work)), result_(std::move(result)) {}

 protected:
  void Run() override { work_(); }
  Napi::Value Result(Napi::Env env) override { return result_(env); }

 private:
  std::function<void()> work_;
  std::function<Napi::Value(Napi::Env)> result_;
};

std::vector<int64_t> ints(const Napi::Object& o, const char* key, std::vector<int64_t> fallback) {
  auto v = o.Get(key);
  if (!v.IsArray()) return fallback;
  auto a = v.As<Napi::Array>();
  std::vector<int64_t> out;
  for (uint32_t i = 0; i < a.Length(); ++i) out.push_back(a.Get(i).As<Napi::Number>().Int64Value());
  return out;
}

int64_t integer(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("TfliteGraph: ") + key + " must be a number");
  return v.As<Napi::Number>().Int64Value();
}

GraphOp readOp(const Napi::Object& o, int64_t tensorCount) {
  static const std::map<std::string, GraphOpKind> kinds = {
      {"conv2d", GraphOpKind::Conv2d}, {"convTranspose2d", GraphOpKind::ConvTranspose2d}, {"add", GraphOpKind::Add},
      {"mul", GraphOpKind::Mul}, {"hardSwish", GraphOpKind::HardSwish}, {"relu", GraphOpKind::Relu},
      {"relu6", GraphOpKind::Relu6}, {"sigmoid", GraphOpKind::Sigmoid}, {"avgPool2d", GraphOpKind::AvgPool2d},
      {"globalAvgPool", GraphOpKind::GlobalAvgPool}, {"resizeBilinear", GraphOpKind::ResizeBilinear}};
  const std::string kind = o.Get("kind").ToString().Utf8Value();
  auto found = kinds.find(kind);
  if (found == kinds.end()) throw Napi::Error::New(o.Env(), "TfliteGraph: unknown operator kind '" + kind + "'");
  GraphOp op;
  op.kind = found->second;
  op.inputs = ints(o, "inputs", {});
  op.output = integer(o, "output");
  for (auto t : op.inputs)
    if (t < 0 || t >= tensorCount) throw Napi::RangeError::New(o.Env(), "TfliteGraph: tensor index out of range in " + kind);
  if (op.output < 0 || op.output >= tensorCount) throw Napi::RangeError::New(o.Env(), "TfliteGraph: output index out of range in " + kind);
  op.stride = ints(o, "stride", op.stride);
  op.dilation = ints(o, "dilation", op.dilation);
  op.kernel = ints(o, "kernel", op.kernel);
  op.pad = ints(o, "pad", op.pad);
  op.size = ints(o, "size", op.size);
  if (op.stride.size() != 2 || op.dilation.size() != 2 || op.kernel.size() != 2 || op.pad.size() != 4 || op.size.size() != 2) {
    throw Napi::RangeError::New(o.Env(), "TfliteGraph: stride, dilation, kernel and size take 2 numbers, pad 4, in " + kind);
  }
  if (o.Get("groups").IsNumber()) op.groups = integer(o, "groups");
  op.alignCorners = o.Get("alignCorners").ToBoolean().Value();
  const std::string act = o.Get("activation").IsString() ? o.Get("activation").ToString().Utf8Value() : "none";
  op.activation = act == "relu" ? Activation::Relu : act == "relu6" ? Activation::Relu6 : act == "hardSwish" ? Activation::HardSwish : Activation::None;
  if (act != "none" && act != "relu" && act != "relu6" && act != "hardSwish") throw Napi::Error::New(o.Env(), "TfliteGraph: unknown activation '" + act + "'");
  return op;
}

/** JS class `TfliteGraph`: `new TfliteGraph(spec)`; see NativeTfliteGraph in src/gan/binding.ts. */
class TfliteGraphWrap : public Napi::ObjectWrap<TfliteGraphWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "TfliteGraph",
                       {InstanceMethod("run", &TfliteGraphWrap::Run), InstanceMethod("forward", &TfliteGraphWrap::Forward),
                        InstanceMethod("dispose", &TfliteGraphWrap::Dispose)});
  }
  explicit TfliteGraphWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TfliteGraphWrap>(info) {
    // node-addon-api turns only Napi::Error into a JS exception; a libtorch one must not escape.
    try {
      graph_ = build(info);
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Napi::Error::New(info.Env(), "TfliteGraph: " + describe(e));
    }
  }

 private:
  static std::shared_ptr<TfliteGraph> build(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "new TfliteGraph(spec): spec object expected");
    auto object = info[0].As<Napi::Object>();
    if (!object.Get("ops").IsArray() || !object.Get("constants").IsArray()) throw Napi::TypeError::New(env, "TfliteGraph: ops and constants must be arrays");
    auto spec = object;
    const int64_t tensorCount = integer(spec, "tensorCount");
    if (tensorCount < 1 || tensorCount > (1 << 20)) throw Napi::RangeError::New(env, "TfliteGraph: tensorCount out of range");
    std::vector<GraphOp> ops;
    auto opsJs = spec.Get("ops").As<Napi::Array>();
    for (uint32_t i = 0; i < opsJs.Length(); ++i) ops.push_back(readOp(opsJs.Get(i).As<Napi::Object>(), tensorCount));
    std::vector<std::pair<int64_t, torch::Tensor>> constants;
    auto constantsJs = spec.Get("constants").As<Napi::Array>();
    for (uint32_t i = 0; i < constantsJs.Length(); ++i) {
      auto c = constantsJs.Get(i).As<Napi::Object>();
      const int64_t index = integer(c, "index");
      auto shape = ints(c, "shape", {});
      int64_t numel = 1;
      for (auto d : shape) {
        if (d < 0) throw Napi::RangeError::New(env, "TfliteGraph: constant " + std::to_string(index) + " has a negative dimension");
        numel *= d;
      }
      if (!c.Get("data").IsTypedArray() || c.Get("data").As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
        throw Napi::TypeError::New(env, "TfliteGraph: constant " + std::to_string(index) + " data must be a Float32Array");
      }
      auto data = c.Get("data").As<Napi::Float32Array>();
      if (index < 0 || index >= tensorCount) throw Napi::RangeError::New(env, "TfliteGraph: constant index out of range");
      if (static_cast<int64_t>(data.ElementLength()) != numel) throw Napi::RangeError::New(env, "TfliteGraph: constant " + std::to_string(index) + " has data of another size than its shape");
      constants.emplace_back(index, torch::from_blob(data.Data(), shape, torch::kFloat).clone());
    }
    const int64_t input = integer(spec, "input"), output = integer(spec, "output");
    if (input < 0 || input >= tensorCount || output < 0 || output >= tensorCount) throw Napi::RangeError::New(env, "TfliteGraph: input or output index out of range");
    const int64_t inputHeight = integer(spec, "inputHeight"), inputWidth = integer(spec, "inputWidth");
    if (inputHeight < 1 || inputWidth < 1) throw Napi::RangeError::New(env, "TfliteGraph: inputHeight and inputWidth must be positive");
    return std::make_shared<TfliteGraph>(std::move(ops), std::move(constants), tensorCount, input, output, inputHeight, inputWidth);
  }

  std::shared_ptr<TfliteGraph> live(const Napi::Env& env) {
    if (!graph_) throw Napi::Error::New(env, "the graph was disposed");
    return graph_;
  }

  /** run(frames: Uint8Array, count, height, width): Promise<Uint8Array> (count x height x width). */
  Napi::Value Run(const Napi::CallbackInfo& info) {
    auto graph = live(info.Env());
    if (!info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "frames must be a Uint8Array");
    auto array = info[0].As<Napi::Uint8Array>();
    auto frames = std::make_shared<std::vector<uint8_t>>(array.Data(), array.Data() + array.ByteLength());
    const int64_t n = info[1].As<Napi::Number>().Int64Value(), h = info[2].As<Napi::Number>().Int64Value(), w = info[3].As<Napi::Number>().Int64Value();
    if (n < 1 || h < 1 || w < 1 || static_cast<int64_t>(frames->size()) != n * h * w * 3) {
      throw Napi::RangeError::New(info.Env(), "frames must hold count x height x width x 3 bytes");
    }
    auto out = std::make_shared<std::vector<uint8_t>>();
    return TorchJob::Start(info.Env(), new GraphJob(
        info.Env(),
        [graph, frames, out, n, h, w] {
          std::lock_guard<std::mutex> lock(graph->mutex);
          *out = graph->run(frames->data(), n, h, w);
        },
        [out](Napi::Env env) -> Napi::Value { return Napi::Buffer<uint8_t>::Copy(env, out->data(), out->size()); }));
  }

  /** forward(input: Float32Array, shape: number[]): Promise<{ shape, data }>, the raw graph on an NCHW input. */
  Napi::Value Forward(const Napi::CallbackInfo& info) {
    auto graph = live(info.Env());
    if (!info[0].IsTypedArray() || !info[1].IsArray()) throw Napi::TypeError::New(info.Env(), "forward(input: Float32Array, shape: number[])");
    auto array = info[0].As<Napi::Float32Array>();
    std::vector<int64_t> shape;
    auto shapeJs = info[1].As<Napi::Array>();
    int64_t numel = 1;
    for (uint32_t i = 0; i < shapeJs.Length(); ++i) {
      shape.push_back(shapeJs.Get(i).As<Napi::Number>().Int64Value());
      numel *= shape.back();
    }
    if (shape.size() != 4 || static_cast<int64_t>(array.ElementLength()) != numel) throw Napi::RangeError::New(info.Env(), "input must match a 4-d shape");
    auto input = std::make_shared<torch::Tensor>(torch::from_blob(array.Data(), shape, torch::kFloat).clone());
    auto out = std::make_shared<torch::Tensor>();
    return TorchJob::Start(info.Env(), new GraphJob(
        info.Env(),
        [graph, input, out] {
          std::lock_guard<std::mutex> lock(graph->mutex);
          c10::InferenceMode inference;
          *out = graph->forward(*input).contiguous();
        },
        [out](Napi::Env env) -> Napi::Value {
          auto result = Napi::Object::New(env);
          auto shape = Napi::Array::New(env, out->dim());
          for (int64_t i = 0; i < out->dim(); ++i) shape.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(out->size(i))));
          auto data = Napi::Float32Array::New(env, out->numel());
          std::memcpy(data.Data(), out->data_ptr<float>(), out->numel() * sizeof(float));
          result.Set("shape", shape);
          result.Set("data", data);
          return result;
        }));
  }

  /** Drops this handle's reference; running calls keep the graph alive until they finish. */
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    graph_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<TfliteGraph> graph_;
};

}  // namespace

void registerTfliteGraph(Napi::Env env, Napi::Object exports) {
  exports.Set("TfliteGraph", TfliteGraphWrap::Define(env));
}

}  // namespace vidgan
