#include "model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <thread>

namespace vidgan {

namespace F = torch::nn::functional;

static std::vector<NamedTensor> namedParameters(torch::nn::Module& module) {
  std::vector<NamedTensor> out;
  for (auto& item : module.named_parameters()) out.push_back({item.key(), item.value()});
  return out;
}

static void appendModule(const std::string& prefix, torch::nn::Module& module, std::vector<NamedTensor>& out) {
  for (auto& item : module.named_parameters()) out.push_back({prefix + item.key(), item.value()});
  for (auto& item : module.named_buffers()) out.push_back({prefix + item.key(), item.value()});
}

static void setRequiresGrad(torch::nn::Module& module, bool on) {
  for (auto& p : module.parameters()) p.set_requires_grad(on);
}

Adam::Adam(std::vector<NamedTensor> params, double beta1, double beta2)
    : params_(std::move(params)), beta1_(beta1), beta2_(beta2) {
  for (auto& p : params_) {
    expAvg_.push_back(torch::zeros_like(p.tensor));
    expAvgSq_.push_back(torch::zeros_like(p.tensor));
    steps_.push_back(torch::zeros({}, torch::kFloat));
  }
}

void Adam::zeroGrad() {
  for (auto& p : params_) {
    if (p.tensor.grad().defined()) p.tensor.mutable_grad().zero_();
  }
}

void Adam::step(double lr) {
  torch::NoGradGuard noGrad;
  const double eps = 1e-8;
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i].tensor;
    const auto& grad = p.grad();
    if (!grad.defined()) continue;
    steps_[i].add_(1);
    const double step = steps_[i].item<double>();
    const double bias1 = 1.0 - std::pow(beta1_, step);
    const double bias2 = 1.0 - std::pow(beta2_, step);
    expAvg_[i].mul_(beta1_).add_(grad, 1.0 - beta1_);
    expAvgSq_[i].mul_(beta2_).addcmul_(grad, grad, 1.0 - beta2_);
    auto denom = (expAvgSq_[i].sqrt() / std::sqrt(bias2)).add_(eps);
    p.addcdiv_(expAvg_[i], denom, -lr / bias1);
  }
}

void Adam::appendState(const std::string& prefix, std::vector<NamedTensor>& out) const {
  for (size_t i = 0; i < params_.size(); ++i) {
    const std::string base = "optim." + prefix + "." + params_[i].name;
    out.push_back({base + ".exp_avg", expAvg_[i]});
    out.push_back({base + ".exp_avg_sq", expAvgSq_[i]});
    out.push_back({base + ".step", steps_[i]});
  }
}

// oneDNN convolves NHWC without the layout reorders that NCHW costs around every convolution
// (measured: a 400x400 U-Net forward spent a quarter of its time in those copies).
static void toChannelsLast(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& p : module.parameters()) {
    if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
  }
}

Model::Model(const ModelConfig& config)
    : config_(config),
      device_(config.cuda ? torch::kCUDA : torch::kCPU),
      rng_(at::make_generator<at::CPUGeneratorImpl>(config.seed)) {
  useThreads();
  generator_ = UNetGenerator(config.net);
  discriminator_ = PatchDiscriminator(config.net);
  initWeights(*generator_, rng_);
  initWeights(*discriminator_, rng_);
  generator_->to(device_);
  discriminator_->to(device_);
  toChannelsLast(*generator_);
  toChannelsLast(*discriminator_);
  if (config.emaDecay > 0) {
    ema_ = UNetGenerator(config.net);
    ema_->to(device_);
    toChannelsLast(*ema_);
    setRequiresGrad(*ema_, false);
    torch::NoGradGuard noGrad;
    auto src = generator_->named_parameters();
    for (auto& item : ema_->named_parameters()) item.value().copy_(src[item.key()]);
  }
  optimG_ = std::make_unique<Adam>(namedParameters(*generator_), config.beta1, config.beta2);
  optimD_ = std::make_unique<Adam>(namedParameters(*discriminator_), config.beta1, config.beta2);
}

/** threads = 0: OMP_NUM_THREADS when set, else every core. */
static int defaultThreads() {
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

int Model::threadCount() const { return config_.threads > 0 ? config_.threads : defaultThreads(); }

void Model::useThreads(int threads) const {
  // The OpenMP thread count belongs to the calling thread and stays set after a call, so every call sets
  // its model's count: another model may have changed it. Only when it differs, though:
  // set_num_threads also empties oneDNN's cache of compiled convolutions.
  const int wanted = threads > 0 ? threads : threadCount();
  if (at::get_num_threads() != wanted) at::set_num_threads(wanted);
}

torch::Tensor Model::toInput(const uint8_t* frames, int64_t n, int64_t h, int64_t w) const {
  auto raw = torch::from_blob(const_cast<uint8_t*>(frames), {n, h, w, 3}, torch::kUInt8);
  // uint8 NHWC is already the channels-last layout of N x 3 x H x W.
  return raw.to(device_).permute({0, 3, 1, 2}).to(torch::kFloat).div(127.5).sub(1.0).contiguous(at::MemoryFormat::ChannelsLast);
}

torch::Tensor Model::withGuides(const torch::Tensor& rgb, const uint8_t* guides, int64_t n, int64_t h, int64_t w) const {
  const int64_t g = config_.net.guides;
  if (g == 0) return rgb;
  auto planes = torch::from_blob(const_cast<uint8_t*>(guides), {n, g, h, w}, torch::kUInt8);
  auto scaled = planes.to(device_).to(torch::kFloat).div(127.5).sub(1.0);
  return torch::cat({rgb, scaled}, 1).contiguous(at::MemoryFormat::ChannelsLast);
}

torch::Tensor Model::ganLoss(const torch::Tensor& logits, bool real) const {
  auto target = real ? torch::ones_like(logits) : torch::zeros_like(logits);
  if (config_.ganLoss == GanLoss::Lsgan) return F::mse_loss(logits, target);
  return F::binary_cross_entropy_with_logits(logits, target);
}

/**
 * Binary cross-entropy of the alpha logit against the edit's own matte: 1 where the target is not white,
 * 0 where the target is white but the input is not (background the edit erased), nothing where both are
 * white (a white shirt: either alpha gives the same picture), unless a matte marks it (below). "White" is within 24 grey levels, as the
 * metrics read a frame. The L1 term reaches alpha only through the sigmoid, whose gradient vanishes
 * where the base is confidently wrong (another person's fingers it takes for the speaker); the
 * cross-entropy's gradient in the logit is sigmoid - target, which does not.
 *
 * With an edge weight, pixels within kAlphaEdgeRadius of the matte's outline (where its dilation and
 * erosion differ) weigh 1 + edgeWeight: the soft, hazy edges that keep background beside the person.
 * The sum is still divided by the count of pixels with a say, so the interior keeps its weight.
 *
 * With a matte (N x 1 x H x W, 0..1), pixels it marks (at least one half) are subject too, white or
 * not: white the edit kept where the frame is white too (teeth, a white shirt), which the edit alone
 * cannot tell from erased background.
 */
torch::Tensor Model::alphaLoss(const torch::Tensor& logit, const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& say,
                               const torch::Tensor& matte) const {
  const double white = 1.0 - 24.0 / 127.5;
  auto targetFg = std::get<0>(y.min(1, true)).lt(white);
  if (matte.defined()) targetFg = targetFg.logical_or(matte.ge(0.5));
  auto inputFg = std::get<0>(x.narrow(1, 0, 3).min(1, true)).lt(white);
  auto counted = targetFg.logical_or(inputFg).to(logit.scalar_type());
  if (say.defined()) counted = counted * say;
  auto target = targetFg.to(logit.scalar_type());
  auto weight = counted;
  if (alphaEdgeWeight_ > 0) {
    const auto pool = F::MaxPool2dFuncOptions(2 * kAlphaEdgeRadius + 1).stride(1).padding(kAlphaEdgeRadius);
    auto edge = F::max_pool2d(target, pool) + F::max_pool2d(-target, pool);  // dilation - erosion
    weight = counted * (1.0 + alphaEdgeWeight_ * edge);
  }
  auto bce = F::binary_cross_entropy_with_logits(logit, target, F::BinaryCrossEntropyWithLogitsFuncOptions().weight(weight).reduction(torch::kSum));
  return bce / counted.sum().clamp_min(1.0);
}

static void checkFinite(double value, const char* what, int64_t step) {
  if (!std::isfinite(value)) {
    std::ostringstream msg;
    msg << what << " loss is " << value << " at step " << step + 1
        << "; that update was not applied";
    throw DivergedError(msg.str());
  }
}

TrainLosses Model::trainStep(const uint8_t* inputs, const uint8_t* guides, const uint8_t* targets, int64_t n, int64_t h,
                             int64_t w, const uint8_t* weights, const uint8_t* mattes) {
  useThreads();
  generator_->train();
  discriminator_->train();
  auto x = toInput(inputs, n, h, w);
  auto y = toInput(targets, n, h, w);
  auto generated = generator_->forward(withGuides(x, guides, n, h, w), rng_);
  auto fake = generated.rgb;

  // Discriminator: real pairs towards 1, generated pairs towards 0, halved as in pix2pix.
  setRequiresGrad(*discriminator_, true);
  auto lossD = 0.5 * (ganLoss(discriminator_->forward(torch::cat({x, fake.detach()}, 1)), false) +
                      ganLoss(discriminator_->forward(torch::cat({x, y}, 1)), true));
  TrainLosses losses;
  losses.d = lossD.item<double>();
  checkFinite(losses.d, "Discriminator", step_);
  optimD_->zeroGrad();
  lossD.backward();
  optimD_->step(config_.lr);

  // Generator: fool the updated discriminator, and stay close to the target (L1, weighted lambdaL1).
  setRequiresGrad(*discriminator_, false);
  auto ganG = ganLoss(discriminator_->forward(torch::cat({x, fake}, 1)), true);
  // A pixel's say in L1 and the alpha loss: 1, or the pair's weight plane (0 = a target that is not known there).
  torch::Tensor say;
  if (weights != nullptr) {
    say = torch::from_blob(const_cast<uint8_t*>(weights), {n, 1, h, w}, torch::kUInt8).to(device_).to(torch::kFloat).div(255.0);
  }
  auto l1 = say.defined() ? ((fake - y).abs() * say).sum() / (say.sum() * 3.0).clamp_min(1.0) : (fake - y).abs().mean();
  auto lossG = ganG + config_.lambdaL1 * l1;
  torch::Tensor matte;
  if (mattes != nullptr) {
    matte = torch::from_blob(const_cast<uint8_t*>(mattes), {n, 1, h, w}, torch::kUInt8).to(device_).to(torch::kFloat).div(255.0);
  }
  if (alphaLoss_ > 0 && generated.alphaLogit.defined()) lossG = lossG + alphaLoss_ * alphaLoss(generated.alphaLogit, x, y, say, matte);
  losses.gan = ganG.item<double>();
  losses.l1 = l1.item<double>();
  losses.total = lossG.item<double>();
  checkFinite(losses.total, "Generator", step_);
  optimG_->zeroGrad();
  lossG.backward();
  optimG_->step(config_.lr);
  setRequiresGrad(*discriminator_, true);
  if (ema_) updateEma();
  ++step_;
  return losses;
}

void Model::updateEma() {
  torch::NoGradGuard noGrad;
  const double decay = config_.emaDecay;
  auto params = generator_->named_parameters();
  for (auto& item : ema_->named_parameters()) item.value().mul_(decay).add_(params[item.key()], 1.0 - decay);
  auto buffers = generator_->named_buffers();
  for (auto& item : ema_->named_buffers()) item.value().copy_(buffers[item.key()]);
}

/**
 * bfloat16 autocast for one call. Autocast state is thread-local, and its cache of weight casts would go
 * stale once training changes the weights, so it is switched off and the cache dropped on the way out.
 */
class Bf16Autocast {
 public:
  Bf16Autocast(bool on, bool cuda) : on_(on), device_(cuda ? at::kCUDA : at::kCPU) {
    if (on_) set(true);
  }
  ~Bf16Autocast() {
    if (!on_) return;
    set(false);
    at::autocast::clear_cache();
  }

 private:
  // libtorch 2.4 replaced the per-device functions (set_enabled, set_cpu_enabled, ...) by ones that
  // take the device type; Debian's 1.13 has only the old ones.
  void set(bool enabled) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    if (enabled) at::autocast::set_autocast_dtype(device_, at::kBFloat16);
    at::autocast::set_autocast_enabled(device_, enabled);
#else
    if (device_ == at::kCUDA) {
      if (enabled) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
      at::autocast::set_enabled(enabled);
    } else {
      if (enabled) at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(enabled);
    }
#endif
  }

  bool on_;
  at::DeviceType device_;
};

/** Bytes of round((v + offset) * scale) clamped to 0..255, in t's element order (one pass, not five). */
static std::vector<uint8_t> toBytes(const torch::Tensor& t, float offset, float scale) {
  auto values = t.to(torch::kCPU, torch::kFloat).contiguous();
  std::vector<uint8_t> bytes(values.numel());
  const float* v = values.data_ptr<float>();
  at::parallel_for(0, values.numel(), 65536, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const float value = std::nearbyint((v[i] + offset) * scale);
      bytes[i] = std::isnan(value) ? 0 : static_cast<uint8_t>(std::clamp(value, 0.0f, 255.0f));  // a NaN cast is undefined
    }
  });
  return bytes;
}

/** Inference on the CPU: the frames and their guide planes as one channels-last float input, in one pass. */
static torch::Tensor cpuInput(const uint8_t* frames, const uint8_t* guides, int64_t n, int64_t h, int64_t w, int64_t g) {
  const int64_t c = 3 + g;
  auto x = torch::empty({n, h, w, c}, torch::kFloat);
  float* xp = x.data_ptr<float>();
  at::parallel_for(0, n * h, 16, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t b = row / h, y = row % h;
      for (int64_t q = 0; q < w; ++q) {
        const int64_t p = row * w + q;
        float* o = xp + p * c;
        for (int j = 0; j < 3; ++j) o[j] = float(frames[p * 3 + j]) / 127.5f - 1.f;
        for (int64_t k = 0; k < g; ++k) o[3 + k] = float(guides[((b * g + k) * h + y) * w + q]) / 127.5f - 1.f;
      }
    }
  });
  return x.permute({0, 3, 1, 2});
}

GenerateResult Model::generate(const uint8_t* inputs, const uint8_t* guides, int64_t n, int64_t h, int64_t w, bool wantAlpha, int lane) {
  // A lane's share of the threads, lane 0 taking what does not divide evenly (3 threads: 2 and 1).
  useThreads(lane < 0 ? 0 : std::max(1, (threadCount() + kGenerationLanes - 1 - lane) / kGenerationLanes));
  UNetGenerator net = ema_ ? ema_ : generator_;
  {
    std::lock_guard<std::mutex> mode(modeMutex_);
    if (net->is_training()) net->eval();
  }
  GenerateResult result;
  {
    c10::InferenceMode inference;
    auto x = device_.is_cpu() ? cpuInput(inputs, guides, n, h, w, config_.net.guides)
                              : withGuides(toInput(inputs, n, h, w), guides, n, h, w);
    GeneratorOutput out;
    {
      Bf16Autocast autocast(config_.bf16, config_.cuda);
      out = net->forward(x, rng_);
    }
    result.rgb = toBytes(out.rgb.permute({0, 2, 3, 1}), 1.0f, 127.5f);
    if (wantAlpha && out.alpha.defined()) result.alpha = toBytes(out.alpha.permute({0, 2, 3, 1}), 0.0f, 255.0f);
  }
  return result;
}

std::vector<NamedTensor> Model::state(bool inferenceOnly) {
  std::vector<NamedTensor> out;
  if (inferenceOnly) {
    appendModule("generator.", ema_ ? *ema_ : *generator_, out);
    return out;
  }
  appendModule("generator.", *generator_, out);
  if (ema_) appendModule("ema.generator.", *ema_, out);
  appendModule("discriminator.", *discriminator_, out);
  optimG_->appendState("G", out);
  optimD_->appendState("D", out);
  return out;
}

void Model::loadState(const std::vector<NamedTensor>& tensors, bool requireAll) {
  auto all = state(false);
  std::map<std::string, torch::Tensor> byName;
  for (auto& t : all) byName[t.name] = t.tensor;
  std::map<std::string, bool> given;
  torch::NoGradGuard noGrad;
  for (auto& t : tensors) {
    auto it = byName.find(t.name);
    if (it == byName.end()) throw std::invalid_argument("tensor " + t.name + " does not exist in this model");
    if (it->second.sizes() != t.tensor.sizes()) {
      std::ostringstream msg;
      msg << "tensor " << t.name << " has shape " << t.tensor.sizes() << " but the model's has shape " << it->second.sizes();
      throw std::invalid_argument(msg.str());
    }
    given[t.name] = true;
  }
  if (requireAll) {
    for (auto& t : all) {
      if (!given.count(t.name)) throw std::invalid_argument("tensor " + t.name + " is missing");
    }
  }
  for (auto& t : tensors) byName[t.name].copy_(t.tensor);
  // A generator-only state (shipped weights) also seeds the EMA, so generate starts from them.
  if (ema_ && !given.count("ema.generator.down0.conv.weight")) {
    auto src = generator_->named_parameters();
    for (auto& item : ema_->named_parameters()) item.value().copy_(src[item.key()]);
    auto buffers = generator_->named_buffers();
    for (auto& item : ema_->named_buffers()) item.value().copy_(buffers[item.key()]);
  }
}

torch::Tensor Model::rngState() const { return rng_.get_state(); }

void Model::setRngState(const torch::Tensor& state) {
  std::lock_guard<std::mutex> lock(rng_.mutex());
  rng_.set_state(state);
}

int64_t Model::generatorParameters() {
  int64_t total = 0;
  for (auto& p : generator_->parameters()) total += p.numel();
  return total;
}

int64_t Model::discriminatorParameters() {
  int64_t total = 0;
  for (auto& p : discriminator_->parameters()) total += p.numel();
  return total;
}

}  // namespace vidgan
