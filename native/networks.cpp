#include "networks.h"

#include <algorithm>

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

torch::Tensor UpBlockImpl::forward(torch::Tensor x, at::Generator& rng) {
  x = torch::relu(x);
  if (transpose) {
    // cuDNN's transposed convolution is fast; only the CPU needs the detour.
    x = x.is_cuda() ? transpose(x) : transposeBySubPixel(x, transpose->weight, transpose->bias);
  } else {
    auto up = F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0});
    if (upsampleMode == UpsampleMode::Bilinear) {
      up.mode(torch::kBilinear).align_corners(false);
    } else {
      up.mode(torch::kNearest);
    }
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

GeneratorOutput UNetGeneratorImpl::forward(const torch::Tensor& x, at::Generator& rng) {
  const int64_t h = x.size(2), w = x.size(3);
  const int64_t multiple = int64_t{1} << options.depth;
  const int64_t padH = (multiple - h % multiple) % multiple, padW = (multiple - w % multiple) % multiple;
  const int64_t top = padH / 2, left = padW / 2;
  torch::Tensor padded = x;
  if (padH > 0 || padW > 0) {
    // Replicate, not reflect: reflect needs the pad to be smaller than the frame, which tiny frames break.
    padded = F::pad(x, F::PadFuncOptions({left, padW - left, top, padH - top}).mode(torch::kReplicate));
  }
  std::vector<torch::Tensor> skips;
  skips.reserve(downs.size());
  torch::Tensor hidden = padded;
  for (auto& down : downs) {
    hidden = down->forward(hidden);
    skips.push_back(hidden);
  }
  for (int i = options.depth - 1; i >= 0; --i) {
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
  torch::Tensor alpha;
  if (options.alphaPriorGuide < 0) {
    alpha = torch::sigmoid(hidden).narrow(1, 0, 1);
  } else {
    // The prior's logit is added to the alpha logit, so the network learns only the correction. A guide
    // byte v is the probability v / 255, kept half a level inside (0, 1) so its logit stays finite (±6.2).
    const double eps = 0.5 / 255.0;
    auto prior = x.narrow(1, 3 + options.alphaPriorGuide, 1).to(hidden.scalar_type()).add(1.0).mul(0.5).clamp(eps, 1.0 - eps);
    alpha = torch::sigmoid(hidden.narrow(1, 0, 1) + torch::log(prior) - torch::log1p(-prior));
  }
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
