// A tiny graph executor over libtorch ops for image-to-mask networks read from TensorFlow Lite files
// (src/prior/compile-graph.ts translates the TFLite operators and weight layouts into this graph).
// Activations run NCHW float32 on the CPU.
#pragma once

#include <napi.h>
#include <torch/torch.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace vidgan {

enum class GraphOpKind { Conv2d, ConvTranspose2d, Add, Mul, HardSwish, Relu, Relu6, Sigmoid, AvgPool2d, GlobalAvgPool, ResizeBilinear };
enum class Activation { None, Relu, Relu6, HardSwish };

/** One operator in torch semantics; the fields an operator does not use keep their defaults. */
struct GraphOp {
  GraphOpKind kind;
  std::vector<int64_t> inputs;
  int64_t output = -1;
  std::vector<int64_t> stride{1, 1};
  std::vector<int64_t> dilation{1, 1};
  std::vector<int64_t> kernel{1, 1};
  std::vector<int64_t> pad{0, 0, 0, 0};  // top, bottom, left, right (a crop for ConvTranspose2d)
  std::vector<int64_t> size{0, 0};       // output height, width (ConvTranspose2d, ResizeBilinear)
  int64_t groups = 1;
  bool alignCorners = false;
  Activation activation = Activation::None;
};

/**
 * A graph whose one input is an RGB image (N x 3 x inputHeight x inputWidth, values in [0, 1]) and
 * whose one output is a single-channel probability map.
 */
class TfliteGraph {
 public:
  TfliteGraph(std::vector<GraphOp> ops, std::vector<std::pair<int64_t, torch::Tensor>> constants, int64_t tensorCount,
              int64_t input, int64_t output, int64_t inputHeight, int64_t inputWidth);

  /**
   * Runs uint8 RGB frames (N x H x W x 3): bilinear resize to the graph's input size, the graph, bilinear
   * resize of the output back to H x W; returns N x H x W bytes, probability x 255 rounded.
   */
  std::vector<uint8_t> run(const uint8_t* frames, int64_t n, int64_t h, int64_t w);
  /** The graph's raw output for float NHWC input at the graph's size (for tests and references). */
  torch::Tensor forward(const torch::Tensor& nchw);

  std::mutex mutex;

 private:
  std::vector<GraphOp> ops_;
  std::vector<torch::Tensor> constants_;  // by tensor index; undefined for activations
  int64_t input_, output_, inputHeight_, inputWidth_;
};

/**
 * Adds `TfliteGraph` to the addon's exports. Its slow calls run as TorchJobs (native/torch-job.h), on
 * the engine's one torch thread, like the pix2pix calls.
 */
void registerTfliteGraph(Napi::Env env, Napi::Object exports);

}  // namespace vidgan
