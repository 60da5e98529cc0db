// DIS optical flow and flow warps on OpenCV (core, imgproc, video). OpenCV work runs in plain
// AsyncWorkers on libuv's pool, not on the torch thread: it shares no state with the model.
#include "flow.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include <cmath>
#include <cstring>
#include <string>

namespace vidgan {

namespace {

/** One DIS instance per pool thread and preset: an instance keeps buffers between calls and is not thread-safe. */
cv::Ptr<cv::DISOpticalFlow>& disFor(FlowPreset preset) {
  thread_local cv::Ptr<cv::DISOpticalFlow> instances[4];
  auto& dis = instances[static_cast<int>(preset)];
  if (dis) return dis;
  if (preset == FlowPreset::Fine) {
    dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
    dis->setFinestScale(0);
  } else {
    dis = cv::DISOpticalFlow::create(static_cast<int>(preset));
  }
  return dis;
}

}  // namespace

std::vector<float> computeDisFlow(const uint8_t* prev, const uint8_t* next, int width, int height, FlowPreset preset,
                                  double scale) {
  // cv::Mat over the caller's bytes: read-only here, the Mats never outlive the call.
  cv::Mat a(height, width, CV_8UC1, const_cast<uint8_t*>(prev));
  cv::Mat b(height, width, CV_8UC1, const_cast<uint8_t*>(next));
  const int sw = std::max(8, static_cast<int>(std::lround(width * scale)));
  const int sh = std::max(8, static_cast<int>(std::lround(height * scale)));
  cv::Mat flow;
  if (scale < 1 && sw < width && sh < height) {
    cv::Mat sa, sb, small;
    cv::resize(a, sa, cv::Size(sw, sh), 0, 0, cv::INTER_AREA);
    cv::resize(b, sb, cv::Size(sw, sh), 0, 0, cv::INTER_AREA);
    disFor(preset)->calc(sa, sb, small);
    cv::resize(small, flow, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
    // Vectors were measured in small pixels: stretch each axis back to full-size pixels.
    std::vector<cv::Mat> axes;
    cv::split(flow, axes);
    axes[0] *= static_cast<double>(width) / sw;
    axes[1] *= static_cast<double>(height) / sh;
    cv::merge(axes, flow);
  } else {
    disFor(preset)->calc(a, b, flow);
  }
  std::vector<float> out(static_cast<size_t>(width) * height * 2);
  cv::Mat wrapped(height, width, CV_32FC2, out.data());
  flow.copyTo(wrapped);
  return out;
}

std::vector<uint8_t> warpByFlow(const uint8_t* plane, const float* flow, int width, int height) {
  cv::Mat src(height, width, CV_8UC1, const_cast<uint8_t*>(plane));
  cv::Mat map(height, width, CV_32FC2);
  for (int y = 0; y < height; ++y) {
    const float* f = flow + static_cast<size_t>(y) * width * 2;
    auto* m = map.ptr<cv::Vec2f>(y);
    for (int x = 0; x < width; ++x) m[x] = cv::Vec2f(x + f[2 * x], y + f[2 * x + 1]);
  }
  std::vector<uint8_t> out(static_cast<size_t>(width) * height);
  cv::Mat dst(height, width, CV_8UC1, out.data());
  cv::remap(src, dst, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

namespace {

/** Settles a Promise from a libuv pool thread's result; every C++ exception (cv::Exception too) rejects it. */
class FlowWorker : public Napi::AsyncWorker {
 public:
  explicit FlowWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  virtual void Run() = 0;
  virtual Napi::Value Result(Napi::Env env) = 0;

  void Execute() override {
    try {
      Run();
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("unknown native error in optical flow");
    }
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    deferred_.Resolve(Result(Env()));
  }
  void OnError(const Napi::Error& error) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
};

class ComputeFlowWorker : public FlowWorker {
 public:
  ComputeFlowWorker(Napi::Env env, std::vector<uint8_t> prev, std::vector<uint8_t> next, int width, int height,
                    FlowPreset preset, double scale)
      : FlowWorker(env), prev_(std::move(prev)), next_(std::move(next)), width_(width), height_(height), preset_(preset), scale_(scale) {}

 protected:
  void Run() override { flow_ = computeDisFlow(prev_.data(), next_.data(), width_, height_, preset_, scale_); }
  Napi::Value Result(Napi::Env env) override {
    auto buffer = Napi::ArrayBuffer::New(env, flow_.size() * sizeof(float));
    std::memcpy(buffer.Data(), flow_.data(), flow_.size() * sizeof(float));
    return Napi::Float32Array::New(env, flow_.size(), buffer, 0);
  }

 private:
  std::vector<uint8_t> prev_, next_;
  int width_, height_;
  FlowPreset preset_;
  double scale_;
  std::vector<float> flow_;
};

class WarpWorker : public FlowWorker {
 public:
  WarpWorker(Napi::Env env, std::vector<uint8_t> plane, std::vector<float> flow, int width, int height)
      : FlowWorker(env), plane_(std::move(plane)), flow_(std::move(flow)), width_(width), height_(height) {}

 protected:
  void Run() override { out_ = warpByFlow(plane_.data(), flow_.data(), width_, height_); }
  Napi::Value Result(Napi::Env env) override { return Napi::Buffer<uint8_t>::Copy(env, out_.data(), out_.size()); }

 private:
  std::vector<uint8_t> plane_;
  std::vector<float> flow_;
  int width_, height_;
  std::vector<uint8_t> out_;
};

/** Width and height from arguments `at` and `at + 1`; TypeScript validated them, this only guards memory. */
void readSize(const Napi::CallbackInfo& info, size_t at, int& width, int& height) {
  if (!info[at].IsNumber() || !info[at + 1].IsNumber()) throw Napi::TypeError::New(info.Env(), "width and height must be numbers");
  width = info[at].As<Napi::Number>().Int32Value();
  height = info[at + 1].As<Napi::Number>().Int32Value();
  if (width < 1 || height < 1) throw Napi::RangeError::New(info.Env(), "width and height must be at least 1");
}

std::vector<uint8_t> planeBytes(const Napi::Value& value, size_t expected, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a Uint8Array");
  }
  auto array = value.As<Napi::Uint8Array>();
  if (array.ByteLength() != expected) {
    throw Napi::RangeError::New(value.Env(), std::string(what) + ": expected " + std::to_string(expected) + " bytes but got " +
                                                 std::to_string(array.ByteLength()));
  }
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

/** computeFlow(prev, next, width, height, preset, scale): Promise<Float32Array>. */
Napi::Value ComputeFlow(const Napi::CallbackInfo& info) {
  int width = 0, height = 0;
  readSize(info, 2, width, height);
  const size_t n = static_cast<size_t>(width) * height;
  auto prev = planeBytes(info[0], n, "prev");
  auto next = planeBytes(info[1], n, "next");
  const int preset = info[4].IsNumber() ? info[4].As<Napi::Number>().Int32Value() : 2;
  if (preset < 0 || preset > 3) throw Napi::RangeError::New(info.Env(), "preset must be 0, 1, 2 or 3");
  const double scale = info[5].IsNumber() ? info[5].As<Napi::Number>().DoubleValue() : 1.0;
  if (!(scale > 0 && scale <= 1)) throw Napi::RangeError::New(info.Env(), "scale must be in (0, 1]");
  auto* worker = new ComputeFlowWorker(info.Env(), std::move(prev), std::move(next), width, height, static_cast<FlowPreset>(preset), scale);
  auto promise = worker->Promise();
  worker->Queue();
  return promise;
}

/** warpPlane(plane, flow, width, height): Promise<Uint8Array>. */
Napi::Value WarpPlane(const Napi::CallbackInfo& info) {
  int width = 0, height = 0;
  readSize(info, 2, width, height);
  const size_t n = static_cast<size_t>(width) * height;
  auto plane = planeBytes(info[0], n, "plane");
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(info.Env(), "flow must be a Float32Array");
  }
  auto flowJs = info[1].As<Napi::Float32Array>();
  if (flowJs.ElementLength() != 2 * n) {
    throw Napi::RangeError::New(info.Env(), "flow: expected " + std::to_string(2 * n) + " floats but got " + std::to_string(flowJs.ElementLength()));
  }
  std::vector<float> flow(flowJs.Data(), flowJs.Data() + flowJs.ElementLength());
  auto* worker = new WarpWorker(info.Env(), std::move(plane), std::move(flow), width, height);
  auto promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

void registerFlow(Napi::Env env, Napi::Object exports) {
  exports.Set("computeFlow", Napi::Function::New(env, ComputeFlow));
  exports.Set("warpPlane", Napi::Function::New(env, WarpPlane));
  exports.Set("opencvVersion", Napi::String::New(env, CV_VERSION));
}

}  // namespace vidgan
