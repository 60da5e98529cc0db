#include "networks.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace vidgan {

namespace F = torch::nn::functional;

NormLayerImpl::NormLayerImpl(Norm kind, int channels) {
  if (kind == Norm::Batch) {
    batch = register_module("bn", torch::nn::BatchNorm2d(channels));
  } else if (kind == Norm::Instance) {
    // As pix2pix's `--norm instance`: no affine parameters, no running statistics, so training and
    // inference normalise the same way.
    instance = register_module("in", torch::nn::InstanceNorm2d(
                                         torch::nn::InstanceNorm2dOptions(channels).affine(false).track_running_stats(false)));
  }
}

torch::Tensor NormLayerImpl::forward(const torch::Tensor& x) {
  if (batch) return batch(x);
  if (instance) return instance(x);
  return x;
}

// pix2pix drops conv biases that a batch norm right after would cancel.
static bool convBias(const NetOptions& o) { return o.norm != Norm::Batch; }

DownBlockImpl::DownBlockImpl(int in, int out, bool activate, bool normalise, const NetOptions& o)
    : activate(activate) {
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 4).stride(2).padding(1).bias(convBias(o))));
  if (normalise) norm = register_module("norm", NormLayer(o.norm, out));
}

torch::Tensor DownBlockImpl::forward(torch::Tensor x) {
  if (activate) x = F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2));
  x = conv(x);
  if (norm) x = norm(x);
  return x;
}

UpBlockImpl::UpBlockImpl(int in, int out, bool outermost, bool dropout, const NetOptions& o)
    : outermost(outermost), useDropout(dropout && o.dropout > 0), dropoutP(o.dropout), upsampleMode(o.upsampleMode) {
  const bool bias = outermost || convBias(o);
  if (o.decoder == Decoder::Transpose) {
    transpose = register_module(
        "conv", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1).bias(bias)));
  } else {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(bias)));
  }
  if (!outermost) norm = register_module("norm", NormLayer(o.norm, out));
}

/**
 * ConvTranspose2d(kernel 4, stride 2, padding 1) computed as one 3x3 convolution that produces the four
 * output phases, then a pixel shuffle. Same weights, same result (to float rounding); libtorch's CPU
 * ConvTranspose2d takes a generic path 5-10x slower than oneDNN's convolution (measured on unet256's layers).
 *
 * Output row 2m takes input rows m-1 and m with kernel rows 3 and 1; row 2m+1 takes rows m and m+1 with
 * kernel rows 2 and 0 (columns alike). `tapFrom[phase][tap]` is the kernel index for tap offset -1, 0, +1.
 */
static torch::Tensor transposeBySubPixel(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
  static const int tapFrom[2][3] = {{3, 1, -1}, {-1, 2, 0}};
  const int64_t in = w.size(0), out = w.size(1);
  auto zero = torch::zeros({out, in}, w.options());
  std::vector<torch::Tensor> phases;
  for (int a = 0; a < 2; ++a) {
    for (int c = 0; c < 2; ++c) {
      std::vector<torch::Tensor> taps;
      for (int ty = 0; ty < 3; ++ty) {
        for (int tx = 0; tx < 3; ++tx) {
          const int ky = tapFrom[a][ty], kx = tapFrom[c][tx];
          taps.push_back(ky >= 0 && kx >= 0 ? w.select(3, kx).select(2, ky).t() : zero);
        }
      }
      phases.push_back(torch::stack(taps, -1).view({out, in, 3, 3}));
    }
  }
  // Channel o*4 + a*2 + c is phase (a, c) of output channel o: the order pixel_shuffle expects.
  auto weight = torch::stack(phases, 1).reshape({out * 4, in, 3, 3});
  auto bias = b.defined() ? b.repeat_interleave(4) : torch::Tensor();
  auto y = F::conv2d(x, weight, F::Conv2dFuncOptions().padding(1).bias(bias));
  return F::pixel_shuffle(y, F::PixelShuffleFuncOptions(2));
}

/**
 * Nearest upsample x2 then Conv2d(3x3, padding 1), computed at the input's resolution: each of the four
 * output phases sees only two input rows and two input columns, so the pair is one 2x2 convolution
 * (padding 1) that yields the four phases, then a pixel shuffle. Same result to float rounding, 2.25x
 * fewer multiply-adds, and no upsampled copy of the input (measured at 400x400: see docs/ENGINE.md).
 *
 * Output row 2m reads upsampled rows 2m-1, 2m, 2m+1 = input rows m-1, m, m: kernel row 0 on row m-1,
 * rows 1 + 2 on row m. Row 2m+1 reads input rows m, m, m+1: rows 0 + 1 on row m, row 2 on row m+1.
 * The zero padding of the upsampled frame is the zero padding of the input.
 *
 * Returns the phases N x (h + 1) x (w + 1) x 4C (NHWC), channel (a * 2 + c) * C + o = phase (a, c) of
 * output channel o, whose output row 2m + a, column 2k + c is position (m + a, k + c).
 */
static std::pair<torch::Tensor, torch::Tensor> foldUpsampleWeights(const torch::nn::Conv2d& conv, bool channelsLast) {
  const torch::Tensor& w = conv->weight;
  // Phase 0 takes taps {0, 1 + 2}, phase 1 {0 + 1, 2}, along rows (dim 2) then columns (dim 3). Sums of
  // slices, not a matmul with a 0/1 matrix: BLAS threads for such a small product cost milliseconds.
  auto phases = [](const torch::Tensor& k, int64_t dim) {
    auto t0 = k.select(dim, 0), t1 = k.select(dim, 1), t2 = k.select(dim, 2);
    return std::make_pair(torch::stack({t0, t1 + t2}, dim), torch::stack({t0 + t1, t2}, dim));
  };
  auto rows = phases(w, 2);
  auto row0 = phases(rows.first, 3), row1 = phases(rows.second, 3);
  auto weight = torch::cat({row0.first, row0.second, row1.first, row1.second}, 0);
  if (channelsLast) weight = weight.contiguous(at::MemoryFormat::ChannelsLast);
  auto bias = conv->bias.defined() ? conv->bias.repeat(4) : torch::Tensor();
  return {weight, bias};
}

/**
 * Under InferenceMode the folded weights are kept until the conv's weight or bias changes (a training
 * step, a load or the EMA writes them in place, which bumps their version; a write through `.data()`
 * would not, so every writer works on the parameter itself) or is replaced: folding them on every call,
 * a dozen small ops a level, cost about a twentieth of a 400x400 frame. Generation lanes share the cache.
 */
std::pair<torch::Tensor, torch::Tensor> UpBlockImpl::foldedWeights(bool channelsLast) {
  if (!c10::InferenceMode::is_enabled()) return foldUpsampleWeights(conv, channelsLast);
  const torch::Tensor& w = conv->weight;
  const int64_t biasVersion = conv->bias.defined() ? int64_t(conv->bias._version()) : 0;
  const void* biasData = conv->bias.defined() ? conv->bias.data_ptr() : nullptr;
  std::lock_guard<std::mutex> lock(*foldedMutex_);
  const bool fresh = folded_.weight.defined() && folded_.weightData == w.data_ptr() && folded_.weightVersion == int64_t(w._version()) &&
                     folded_.biasData == biasData && folded_.biasVersion == biasVersion &&
                     folded_.weight.is_contiguous(at::MemoryFormat::ChannelsLast) == channelsLast;
  if (!fresh) {
    auto [weight, bias] = foldUpsampleWeights(conv, channelsLast);
    folded_ = {weight, bias, w.data_ptr(), biasData, int64_t(w._version()), biasVersion};
  }
  return {folded_.weight, folded_.bias};
}

torch::Tensor UpBlockImpl::upsamplePhases(const torch::Tensor& x) {
  auto [weight, bias] = foldedWeights(x.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
  return F::conv2d(x, weight, F::Conv2dFuncOptions().padding(1).bias(bias)).permute({0, 2, 3, 1});
}

/** The output of upsamplePhases as N x C x 2h x 2w (channels-last memory). */
static torch::Tensor shufflePhases(const torch::Tensor& y) {
  const int64_t n = y.size(0), h = y.size(1) - 1, w = y.size(2) - 1, out = y.size(3) / 4;
  auto shuffled = torch::empty({n, h, 2, w, 2, out}, y.options().memory_format(at::MemoryFormat::Contiguous));
  for (int a = 0; a < 2; ++a) {
    for (int c = 0; c < 2; ++c) {
      shuffled.select(4, c).select(2, a).copy_(y.narrow(1, a, h).narrow(2, c, w).narrow(3, (a * 2 + c) * out, out));
    }
  }
  return shuffled.view({n, 2 * h, 2 * w, out}).permute({0, 3, 1, 2});
}

/**
 * Inference, instance norm: relu(cat(skip, instance_norm(shufflePhases(y)))) in one NHWC buffer, written
 * in one pass after a statistics pass over y. Replaces the shuffle, the norm, the concatenation and the
 * next block's ReLU, four passes over the decoder's largest tensors. `y` as upsamplePhases returns it
 * (float, contiguous); `skip` N x S x 2h x 2w float, channels-last.
 */
static torch::Tensor joinDecoder(const torch::Tensor& yIn, const torch::Tensor& skipIn, double eps) {
  auto y = yIn.contiguous();
  auto skip = skipIn.permute({0, 2, 3, 1}).contiguous();
  const int64_t n = y.size(0), h = y.size(1) - 1, w = y.size(2) - 1, c = y.size(3) / 4, s = skip.size(3);
  const int64_t rowY = (w + 1) * 4 * c, planeY = (h + 1) * rowY;
  const float* yp = y.data_ptr<float>();
  // Per channel: mean, then the mean squared deviation (two passes, in double, as exact as the norm's).
  std::vector<double> mean(n * c, 0.0), var(n * c, 0.0);
  const int threads = at::get_num_threads();
  auto reduce = [&](bool deviations) {
    std::vector<double> partial(threads * n * c, 0.0);
    at::parallel_for(0, n * h, 1, [&](int64_t begin, int64_t end) {
      double* acc = partial.data() + at::get_thread_num() * n * c;
      std::vector<float> row(c), meanRow(c);
      for (int64_t nm = begin; nm < end; ++nm) {
        const int64_t b = nm / h, m = nm % h;
        double* accB = acc + b * c;
        for (int64_t o = 0; o < c; ++o) meanRow[o] = float(mean[b * c + o]);
        for (int a = 0; a < 2; ++a) {
          for (int cc = 0; cc < 2; ++cc) {
            const float* p = yp + b * planeY + (m + a) * rowY + cc * 4 * c + (a * 2 + cc) * c;
            std::fill(row.begin(), row.end(), 0.f);
            for (int64_t k = 0; k < w; ++k, p += 4 * c) {
              if (deviations) {
                for (int64_t o = 0; o < c; ++o) row[o] += (p[o] - meanRow[o]) * (p[o] - meanRow[o]);
              } else {
                for (int64_t o = 0; o < c; ++o) row[o] += p[o];
              }
            }
            for (int64_t o = 0; o < c; ++o) accB[o] += row[o];
          }
        }
      }
    });
    auto& target = deviations ? var : mean;
    for (int t = 0; t < threads; ++t)
      for (int64_t i = 0; i < n * c; ++i) target[i] += partial[t * n * c + i];
    for (auto& v : target) v /= double(4 * h * w);
  };
  reduce(false);
  reduce(true);
  std::vector<float> meanF(n * c), scale(n * c);
  for (int64_t i = 0; i < n * c; ++i) {
    meanF[i] = float(mean[i]);
    scale[i] = float(1.0 / std::sqrt(var[i] + eps));
  }

  auto joined = torch::empty({n, 2 * h, 2 * w, s + c}, y.options().memory_format(at::MemoryFormat::Contiguous));
  float* op = joined.data_ptr<float>();
  const float* sp = skip.data_ptr<float>();
  at::parallel_for(0, n * 2 * h, 1, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t b = row / (2 * h), yy = row % (2 * h), m = yy / 2, a = yy % 2;
      const float* meanB = meanF.data() + b * c;
      const float* scaleB = scale.data() + b * c;
      float* o = op + row * 2 * w * (s + c);
      const float* sk = sp + row * 2 * w * s;
      const float* ybase = yp + b * planeY + (m + a) * rowY;
      for (int64_t xx = 0; xx < 2 * w; ++xx, o += s + c, sk += s) {
        const int64_t k = xx / 2, cc = xx % 2;
        for (int64_t i = 0; i < s; ++i) o[i] = std::max(sk[i], 0.f);
        const float* p = ybase + (k + cc) * 4 * c + (a * 2 + cc) * c;
        for (int64_t i = 0; i < c; ++i) o[s + i] = std::max((p[i] - meanB[i]) * scaleB[i], 0.f);
      }
    }
  });
  return joined.permute({0, 3, 1, 2});
}

/**
 * Inference, instance norm: leaky_relu(instance_norm(y), 0.2) in one pass after a statistics pass, kept
 * channels-last. libtorch's instance norm runs as a batch norm over a contiguous (NCHW) copy and returns
 * NCHW, so the encoder paid a copy, the norm, the activation and the next convolution's reorder.
 */
static torch::Tensor normLeaky(const torch::Tensor& yIn, double eps) {
  auto y = yIn.permute({0, 2, 3, 1}).contiguous();
  const int64_t n = y.size(0), hw = y.size(1) * y.size(2), c = y.size(3);
  const float* yp = y.data_ptr<float>();
  std::vector<double> mean(n * c, 0.0), var(n * c, 0.0);
  std::vector<float> meanF(n * c), scale(n * c);
  for (int64_t b = 0; b < n; ++b) {
    // Per channel, rows of float sums added into doubles (as joinDecoder): the mean, then the deviations.
    std::vector<float> row(c);
    const int64_t chunk = 64;
    for (int pass = 0; pass < 2; ++pass) {
      double* target = (pass == 0 ? mean.data() : var.data()) + b * c;
      for (int64_t start = 0; start < hw; start += chunk) {
        std::fill(row.begin(), row.end(), 0.f);
        const int64_t stop = std::min(hw, start + chunk);
        for (int64_t p = start; p < stop; ++p) {
          const float* v = yp + (b * hw + p) * c;
          if (pass == 0) {
            for (int64_t o = 0; o < c; ++o) row[o] += v[o];
          } else {
            for (int64_t o = 0; o < c; ++o) row[o] += (v[o] - meanF[b * c + o]) * (v[o] - meanF[b * c + o]);
          }
        }
        for (int64_t o = 0; o < c; ++o) target[o] += row[o];
      }
      for (int64_t o = 0; o < c; ++o) target[o] /= double(hw);
      if (pass == 0) {
        for (int64_t o = 0; o < c; ++o) meanF[b * c + o] = float(mean[b * c + o]);
      }
    }
    for (int64_t o = 0; o < c; ++o) scale[b * c + o] = float(1.0 / std::sqrt(var[b * c + o] + eps));
  }
  auto out = torch::empty_like(y);
  float* op = out.data_ptr<float>();
  at::parallel_for(0, n * hw, 1024, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const int64_t b = p / hw;
      const float* v = yp + p * c;
      const float* meanB = meanF.data() + b * c;
      const float* scaleB = scale.data() + b * c;
      float* o = op + p * c;
      for (int64_t i = 0; i < c; ++i) {
        const float z = (v[i] - meanB[i]) * scaleB[i];
        o[i] = z > 0.f ? z : 0.2f * z;
      }
    }
  });
  return out.permute({0, 3, 1, 2});
}

torch::Tensor UpBlockImpl::forward(torch::Tensor x, at::Generator& rng) {
  x = torch::relu(x);
  if (transpose) {
    // cuDNN's transposed convolution is fast; only the CPU needs the detour.
    x = x.is_cuda() ? transpose(x) : transposeBySubPixel(x, transpose->weight, transpose->bias);
  } else if (upsampleMode == UpsampleMode::Nearest) {
    x = shufflePhases(upsamplePhases(x));
  } else {
    auto up = F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kBilinear).align_corners(false);
    x = conv(F::interpolate(x, up));
  }
  if (norm) x = norm(x);
  if (useDropout && is_training()) {
    // The paper's noise. The mask is drawn on the CPU from the model's own generator so training is
    // reproducible from a seed on any device; eval mode (inference) never drops.
    auto mask = torch::empty(x.sizes(), torch::kFloat).bernoulli_(1.0 - dropoutP, rng).to(x.device(), x.scalar_type());
    x = x * mask / (1.0 - dropoutP);
  }
  return x;
}

UNetGeneratorImpl::UNetGeneratorImpl(const NetOptions& o) : options(o) {
  const int outChannels = o.head == Head::Composite ? 4 : 3;
  auto channels = [&](int level) { return o.ngf * std::min(1 << std::min(level, 3), 8); };
  for (int i = 0; i < o.depth; ++i) {
    const bool innermost = i == o.depth - 1;
    const int in = i == 0 ? 3 + o.guides : channels(i - 1);
    downs.push_back(register_module("down" + std::to_string(i), DownBlock(in, channels(i), i > 0, i > 0 && !innermost, o)));
  }
  for (int i = 0; i < o.depth; ++i) {
    const bool innermost = i == o.depth - 1;
    const int in = innermost ? channels(i) : 2 * channels(i);
    const int out = i == 0 ? outChannels : channels(i - 1);
    // As pytorch-CycleGAN-and-pix2pix: dropout in the ngf*8 blocks between the four outer levels and the innermost.
    const bool dropout = i >= 4 && !innermost;
    ups.push_back(register_module("up" + std::to_string(i), UpBlock(in, out, i == 0, dropout, o)));
  }
}

/**
 * Inference, composite head: the head of UNetGeneratorImpl::forward read straight from the outermost
 * level's phases (see upsamplePhases) at the uncropped pixels, one pass instead of a shuffle, a crop and
 * seven elementwise passes. `x` the generator's input (float); `prior` its alpha-prior plane or -1.
 */
static GeneratorOutput compositeFromPhases(const torch::Tensor& yIn, const torch::Tensor& xIn, int prior, int64_t top, int64_t left) {
  auto y = yIn.contiguous();
  TORCH_CHECK(y.dim() == 4 && y.size(3) == 16, "compositeFromPhases: expected the 4 head channels in 4 phases, got ", y.sizes());
  // The colour corrections' tanh over the whole phase tensor in libtorch's vectorised kernel, and the prior's
  // logit from a table of the 256 guide bytes: per pixel, libm's tanh, log and log1p took a tenth of a frame.
  auto corrections = torch::tanh(y);
  std::array<float, 256> priorLogit{};
  const double eps = 0.5 / 255.0;
  for (int v = 0; v < 256; ++v) {
    const double p = std::clamp(v / 255.0, eps, 1.0 - eps);
    priorLogit[v] = float(std::log(p) - std::log1p(-p));
  }
  auto x = xIn.permute({0, 2, 3, 1}).contiguous();
  const int64_t n = x.size(0), h = x.size(1), w = x.size(2), cx = x.size(3);
  const int64_t rowY = y.size(2) * 16, planeY = y.size(1) * rowY;
  auto rgb = torch::empty({n, h, w, 3}, x.options());
  auto alpha = torch::empty({n, h, w, 1}, x.options());
  const float* yp = y.data_ptr<float>();
  const float* tp = corrections.data_ptr<float>();
  const float* xp = x.data_ptr<float>();
  float* rp = rgb.data_ptr<float>();
  float* ap = alpha.data_ptr<float>();
  at::parallel_for(0, n * h, 8, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t b = row / h, yy = row % h + top, m = yy / 2, a = yy % 2;
      for (int64_t q = 0; q < w; ++q) {
        const int64_t xx = q + left, k = xx / 2, c = xx % 2;
        const int64_t at = (m + a) * rowY + (k + c) * 16 + (a * 2 + c) * 4;
        const float* hp = yp + b * planeY + at;
        const float* tanhp = tp + b * planeY + at;
        const float* in = xp + (row * w + q) * cx;
        float logit = hp[0];
        if (prior >= 0) {
          // As the generic head: a guide byte v is the probability v / 255, clamped half a level inside (0, 1).
          const int v = int((in[3 + prior] + 1.f) * 127.5f + 0.5f);
          logit += priorLogit[std::clamp(v, 0, 255)];
        }
        const float al = 1.f / (1.f + std::exp(-logit));
        ap[row * w + q] = al;
        float* out = rp + (row * w + q) * 3;
        for (int j = 0; j < 3; ++j) out[j] = al * std::clamp(in[j] + tanhp[1 + j], -1.f, 1.f) + (1.f - al);
      }
    }
  });
  GeneratorOutput result;
  result.rgb = rgb.permute({0, 3, 1, 2});
  result.alpha = alpha.permute({0, 3, 1, 2});
  return result;
}

/** Inference: replicate padding of a float frame, written once as NHWC (F::pad took 4 ms for 400 -> 448). */
static torch::Tensor replicatePad(const torch::Tensor& x, int64_t top, int64_t bottom, int64_t left, int64_t right) {
  auto in = x.permute({0, 2, 3, 1}).contiguous();
  const int64_t n = in.size(0), h = in.size(1), w = in.size(2), c = in.size(3);
  const int64_t outH = h + top + bottom, outW = w + left + right;
  auto out = torch::empty({n, outH, outW, c}, in.options());
  const float* src = in.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  at::parallel_for(0, n * outH, 16, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t b = row / outH, y = std::clamp(row % outH - top, int64_t{0}, h - 1);
      const float* s = src + (b * h + y) * w * c;
      float* d = dst + row * outW * c;
      for (int64_t k = 0; k < left; ++k, d += c) std::copy(s, s + c, d);
      d = std::copy(s, s + w * c, d);
      for (int64_t k = 0; k < right; ++k, d += c) std::copy(s + (w - 1) * c, s + w * c, d);
    }
  });
  return out.permute({0, 3, 1, 2});
}

GeneratorOutput UNetGeneratorImpl::forward(const torch::Tensor& x, at::Generator& rng) {
  const int64_t h = x.size(2), w = x.size(3);
  const int64_t multiple = int64_t{1} << options.depth;
  const int64_t padH = (multiple - h % multiple) % multiple, padW = (multiple - w % multiple) % multiple;
  const int64_t top = padH / 2, left = padW / 2;
  // Inference with the default decoder: each level's shuffle, norm, concatenation and the next ReLU in one
  // pass (joinDecoder), same result to float rounding.
  const bool joined = c10::InferenceMode::is_enabled() && !is_training() && x.device().is_cpu() && options.norm == Norm::Instance &&
                      options.decoder == Decoder::Upsample && options.upsampleMode == UpsampleMode::Nearest;
  torch::Tensor padded = x;
  if (padH > 0 || padW > 0) {
    // Replicate, not reflect: reflect needs the pad to be smaller than the frame, which tiny frames break.
    padded = joined && x.scalar_type() == torch::kFloat
                 ? replicatePad(x, top, padH - top, left, padW - left)
                 : F::pad(x, F::PadFuncOptions({left, padW - left, top, padH - top}).mode(torch::kReplicate));
  }
  std::vector<torch::Tensor> skips;
  skips.reserve(downs.size());
  torch::Tensor hidden = padded;
  // Fused encoder (fp32 only): each level keeps leaky_relu(norm(conv(x))), the next level's input, as its
  // skip; the decoder reads relu(skip), which leaky_relu does not change. The innermost level stays raw.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  const bool autocast = at::autocast::is_autocast_enabled(at::kCPU);
#else
  const bool autocast = at::autocast::is_cpu_enabled();
#endif
  const bool fusedEncoder = joined && padded.scalar_type() == torch::kFloat && !autocast;
  for (size_t i = 0; i < downs.size(); ++i) {
    auto& down = downs[i];
    if (fusedEncoder) {
      auto y = down->conv(hidden);
      if (down->norm) {
        hidden = normLeaky(y, down->norm->instance->options.eps());
      } else if (i + 1 < downs.size()) {
        hidden = F::leaky_relu(y, F::LeakyReLUFuncOptions().negative_slope(0.2));
      } else {
        hidden = y;
      }
    } else {
      hidden = down->forward(hidden);
    }
    skips.push_back(hidden);
  }
  for (int i = options.depth - 1; i >= 0; --i) {
    if (joined) {
      // Below the innermost level `hidden` already holds relu(cat(skip, up)).
      auto y = ups[i]->upsamplePhases(i == options.depth - 1 ? torch::relu(skips[i]) : hidden);
      if (i == 0 && options.head == Head::Composite && y.scalar_type() == torch::kFloat && x.scalar_type() == torch::kFloat) {
        return compositeFromPhases(y, x, options.alphaPriorGuide, top, left);
      } else if (i == 0) {
        hidden = shufflePhases(y);
      } else if (y.scalar_type() == torch::kFloat && skips[i - 1].scalar_type() == torch::kFloat) {
        hidden = joinDecoder(y, skips[i - 1], ups[i]->norm->instance->options.eps());
      } else {
        hidden = torch::relu(torch::cat({skips[i - 1], ups[i]->norm(shufflePhases(y))}, 1));  // bf16 autocast
      }
      continue;
    }
    torch::Tensor in = i == options.depth - 1 ? skips[i] : torch::cat({skips[i], hidden}, 1);
    hidden = ups[i]->forward(in, rng);
  }
  if (padH > 0 || padW > 0) hidden = hidden.narrow(2, top, h).narrow(3, left, w);

  GeneratorOutput out;
  if (options.head == Head::Rgb) {
    out.rgb = torch::tanh(hidden);
    return out;
  }
  // Composite head: an alpha mask and a colour correction of the input, composited onto white (+1).
  // Activations run over the whole (dense) tensor before slicing: on a strided channel slice they
  // lose vectorisation and cost more than the convolution next to them.
  torch::Tensor alpha, logit;
  if (options.alphaPriorGuide < 0) {
    alpha = torch::sigmoid(hidden).narrow(1, 0, 1);
    logit = hidden.narrow(1, 0, 1);
  } else {
    // The prior's logit is added to the alpha logit, so the network learns only the correction. A guide
    // byte v is the probability v / 255, kept half a level inside (0, 1) so its logit stays finite (±6.2).
    const double eps = 0.5 / 255.0;
    auto prior = x.narrow(1, 3 + options.alphaPriorGuide, 1).to(hidden.scalar_type()).add(1.0).mul(0.5).clamp(eps, 1.0 - eps);
    logit = hidden.narrow(1, 0, 1) + torch::log(prior) - torch::log1p(-prior);
    alpha = torch::sigmoid(logit);
  }
  out.alphaLogit = logit;
  auto rgbIn = x.narrow(1, 0, 3).to(hidden.scalar_type());
  auto foreground = (rgbIn + torch::tanh(hidden).narrow(1, 1, 3)).clamp(-1.0, 1.0);
  out.rgb = alpha * foreground + (1.0 - alpha);
  out.alpha = alpha;
  return out;
}

PatchDiscriminatorImpl::PatchDiscriminatorImpl(const NetOptions& o) {
  using torch::nn::Conv2dOptions;
  auto leaky = [] { return torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2)); };
  const bool bias = convBias(o);
  torch::nn::Sequential seq;
  seq->push_back(torch::nn::Conv2d(Conv2dOptions(6, o.ndf, 4).stride(2).padding(1)));
  seq->push_back(leaky());
  int mult = 1;
  for (int n = 1; n <= o.discLayers; ++n) {
    const int prev = mult;
    mult = std::min(1 << n, 8);
    const int stride = n < o.discLayers ? 2 : 1;
    seq->push_back(torch::nn::Conv2d(Conv2dOptions(o.ndf * prev, o.ndf * mult, 4).stride(stride).padding(1).bias(bias)));
    if (o.norm != Norm::None) seq->push_back(NormLayer(o.norm, o.ndf * mult));
    seq->push_back(leaky());
  }
  seq->push_back(torch::nn::Conv2d(Conv2dOptions(o.ndf * mult, 1, 4).stride(1).padding(1)));
  body = register_module("body", seq);
}

torch::Tensor PatchDiscriminatorImpl::forward(const torch::Tensor& pair) { return body->forward(pair); }

void initWeights(torch::nn::Module& module, at::Generator& rng) {
  torch::NoGradGuard noGrad;
  for (auto& item : module.named_parameters()) {
    const std::string& name = item.key();
    torch::Tensor p = item.value();
    const bool isBias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    const bool isNorm = name.find(".bn.") != std::string::npos;
    if (isBias) {
      p.zero_();
    } else {
      auto values = torch::empty(p.sizes(), torch::kFloat).normal_(isNorm ? 1.0 : 0.0, 0.02, rng);
      p.copy_(values);
    }
  }
}

}  // namespace vidgan
