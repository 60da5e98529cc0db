// A pix2pix model: both networks, their Adam optimisers, an optional EMA of the generator, the
// random generator used for dropout, and the train step / inference / state I/O on top of them.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "networks.h"

namespace vidgan {

/**
 * Generation lanes: threads beside the torch thread on which generate calls may run at once, each with
 * its share of the model's threads (lane 0 takes the odd one). This network is too narrow for two
 * OpenMP threads to share one frame well (on 2 cores a 400x400 frame took 80 ms with two threads and
 * 84 ms with one); one frame on each of two lanes at once came to 55-65 ms a frame (docs/ENGINE.md).
 */
constexpr int kGenerationLanes = 2;

enum class GanLoss { Bce, Lsgan };

/** Everything the model needs to be built. TypeScript validates every field first. */
struct ModelConfig {
  NetOptions net;
  GanLoss ganLoss = GanLoss::Bce;
  double lambdaL1 = 100.0;
  double lr = 2e-4;
  double beta1 = 0.5;
  double beta2 = 0.999;
  double emaDecay = 0.0;  // 0 = off
  bool bf16 = false;      // inference precision
  uint64_t seed = 0;
  int threads = 0;        // 0 = libtorch's default
  bool cuda = false;
};

struct TrainLosses {
  double gan = 0, l1 = 0, d = 0, total = 0;
};

struct GenerateResult {
  std::vector<uint8_t> rgb;    // N x H x W x 3
  std::vector<uint8_t> alpha;  // N x H x W (composite head, when asked)
};

struct NamedTensor {
  std::string name;
  torch::Tensor tensor;
};

/** A loss came out NaN or infinite; the update of the network whose loss it was is not applied. */
struct DivergedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** Adam (Kingma & Ba) as torch.optim.Adam without weight decay, with state that can be exported by name. */
class Adam {
 public:
  Adam(std::vector<NamedTensor> params, double beta1, double beta2);
  void zeroGrad();
  void step(double lr);
  /** optim.<prefix>.<param>.exp_avg / .exp_avg_sq / .step */
  void appendState(const std::string& prefix, std::vector<NamedTensor>& out) const;

 private:
  std::vector<NamedTensor> params_;
  std::vector<torch::Tensor> expAvg_, expAvgSq_, steps_;
  double beta1_, beta2_;
};

class Model {
 public:
  explicit Model(const ModelConfig& config);

  /**
   * One pix2pix step: a discriminator update, then a generator update. Frames are uint8 NHWC RGB; guides
   * (N x guides x H x W uint8 planes, null when the model has none) go to the generator only. `weights`
   * (N x H x W uint8, null for all 255) scale each pixel's say in L1 and the alpha loss (255 = full, 0 =
   * none: a target not known there); the GAN terms see the whole patch. `mattes` (N x H x W uint8, null
   * for none) mark white pixels of the target that are the subject (255: a white shirt the edit kept),
   * which the alpha loss then counts as subject instead of leaving out.
   */
  TrainLosses trainStep(const uint8_t* inputs, const uint8_t* guides, const uint8_t* targets, int64_t n, int64_t h, int64_t w,
                        const uint8_t* weights = nullptr, const uint8_t* mattes = nullptr);
  /**
   * Deterministic inference (eval mode, no dropout, no batch statistics). Guides as in trainStep. Calls
   * holding the mutex shared may run at once; `lane` >= 0: with that lane's share of the model's threads
   * (-1: all of them, on the torch thread).
   */
  GenerateResult generate(const uint8_t* inputs, const uint8_t* guides, int64_t n, int64_t h, int64_t w, bool wantAlpha, int lane = -1);
  int guides() const { return config_.net.guides; }

  /** Named views of the state (not copies). inferenceOnly: the generator weights that generate uses, as generator.*. */
  std::vector<NamedTensor> state(bool inferenceOnly);
  /** Copies the given tensors into the state. Names must exist and shapes match; with requireAll, all must be given. */
  void loadState(const std::vector<NamedTensor>& tensors, bool requireAll);
  torch::Tensor rngState() const;
  void setRngState(const torch::Tensor& state);

  void setLearningRate(double lr) { config_.lr = lr; }
  /**
   * Weight of the alpha loss in the generator's objective (composite head; 0 = off), and the extra
   * weight of its pixels within kAlphaEdgeRadius of the target matte's outline (0 = none).
   */
  void setAlphaLoss(double weight, double edgeWeight = 0.0) {
    alphaLoss_ = weight;
    alphaEdgeWeight_ = edgeWeight;
  }
  double learningRate() const { return config_.lr; }
  int64_t step() const { return step_; }
  /** The libtorch threads the model computes with: its `threads`, else OMP_NUM_THREADS, else every core. */
  int threadCount() const;
  void setStep(int64_t step) { step_ = step; }
  int64_t generatorParameters();
  int64_t discriminatorParameters();
  /**
   * Serialises calls: training and inference must not touch the weights at the same time. generate
   * holds it shared (inference only reads the weights), every other call exclusively.
   */
  std::shared_mutex mutex;

 private:
  torch::Tensor toInput(const uint8_t* frames, int64_t n, int64_t h, int64_t w) const;
  torch::Tensor withGuides(const torch::Tensor& rgb, const uint8_t* guides, int64_t n, int64_t h, int64_t w) const;
  torch::Tensor ganLoss(const torch::Tensor& logits, bool real) const;
  torch::Tensor alphaLoss(const torch::Tensor& logit, const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& say,
                          const torch::Tensor& matte) const;
  /** Pixels this close to the target matte's outline (a 2r+1 square) take the alpha loss's edge weight. */
  static constexpr int kAlphaEdgeRadius = 3;
  void updateEma();
  /** threads 0: the model's own count. */
  void useThreads(int threads = 0) const;
  /** Guards the switch to eval mode between generate calls running at once. */
  std::mutex modeMutex_;

  ModelConfig config_;
  torch::Device device_;
  at::Generator rng_;
  UNetGenerator generator_{nullptr};
  UNetGenerator ema_{nullptr};
  PatchDiscriminator discriminator_{nullptr};
  std::unique_ptr<Adam> optimG_, optimD_;
  int64_t step_ = 0;
  double alphaLoss_ = 0.0;
  double alphaEdgeWeight_ = 0.0;
};

}  // namespace vidgan
