// The pix2pix networks (Isola et al. 2017, https://arxiv.org/abs/1611.07004): a U-Net generator with
// skip connections and a PatchGAN discriminator conditioned on the input. The layout follows
// pytorch-CycleGAN-and-pix2pix (networks.py: UnetGenerator, NLayerDiscriminator) with two additions
// chosen by measurement: an upsample + 3x3 conv decoder and a composite (alpha over white) head.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vidgan {

enum class Norm { Batch, Instance, None };
enum class Decoder { Transpose, Upsample };
enum class UpsampleMode { Nearest, Bilinear };
enum class Head { Rgb, Composite };

/** Architecture of both networks. TypeScript validates every field before it gets here. */
struct NetOptions {
  int ngf = 64;
  int ndf = 64;
  int depth = 8;
  int discLayers = 3;  // 3 strided layers = the 70x70 PatchGAN
  Norm norm = Norm::Batch;
  Decoder decoder = Decoder::Transpose;
  UpsampleMode upsampleMode = UpsampleMode::Nearest;
  Head head = Head::Rgb;
  double dropout = 0.5;
  /** Guide planes after the RGB: the generator takes 3 + guides input channels. */
  int guides = 0;
  /** Index of the guide whose logit is added to the composite head's alpha logit; -1 = none. */
  int alphaPriorGuide = -1;
};

/** Output of the generator: rgb in [-1, 1]; alpha in [0, 1] for the composite head, else undefined. */
struct GeneratorOutput {
  torch::Tensor rgb;
  torch::Tensor alpha;
  /** The alpha before the sigmoid (composite head; not set by the fused CPU inference head): what the alpha loss reads. */
  torch::Tensor alphaLogit;
};

/** Normalisation layer that is one of batch norm, instance norm (no affine, no running stats) or nothing. */
struct NormLayerImpl : torch::nn::Module {
  NormLayerImpl(Norm kind, int channels);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::BatchNorm2d batch{nullptr};
  torch::nn::InstanceNorm2d instance{nullptr};
};
TORCH_MODULE(NormLayer);

/** One encoder level: [LeakyReLU 0.2] -> Conv 4x4 stride 2 -> [norm]. */
struct DownBlockImpl : torch::nn::Module {
  DownBlockImpl(int in, int out, bool activate, bool normalise, const NetOptions& o);
  torch::Tensor forward(torch::Tensor x);
  bool activate;
  torch::nn::Conv2d conv{nullptr};
  NormLayer norm{nullptr};
};
TORCH_MODULE(DownBlock);

/** One decoder level: ReLU -> (ConvTranspose 4x4 s2 | upsample x2 + Conv 3x3) -> [norm] -> [dropout]. */
struct UpBlockImpl : torch::nn::Module {
  UpBlockImpl(int in, int out, bool outermost, bool dropout, const NetOptions& o);
  torch::Tensor forward(torch::Tensor x, at::Generator& rng);
  /** Upsample decoder, nearest: the conv's four output phases at x's resolution (see networks.cpp). */
  torch::Tensor upsamplePhases(const torch::Tensor& x);
  bool outermost;
  bool useDropout;
  double dropoutP;
  UpsampleMode upsampleMode;
  torch::nn::ConvTranspose2d transpose{nullptr};
  torch::nn::Conv2d conv{nullptr};
  NormLayer norm{nullptr};

 private:
  /** Inference: upsamplePhases's folded weight and bias, kept while the conv's own stay the same. */
  struct Folded {
    torch::Tensor weight, bias;
    const void* weightData = nullptr;
    const void* biasData = nullptr;
    int64_t weightVersion = -1, biasVersion = -1;
  };
  std::pair<torch::Tensor, torch::Tensor> foldedWeights(bool channelsLast);
  std::shared_ptr<std::mutex> foldedMutex_ = std::make_shared<std::mutex>();
  Folded folded_;
};
TORCH_MODULE(UpBlock);

/**
 * U-Net generator. Any input size works: the input is padded (replicate) to a multiple of 2^depth
 * and the output cropped back, so the output always has the input's size.
 */
struct UNetGeneratorImpl : torch::nn::Module {
  explicit UNetGeneratorImpl(const NetOptions& o);
  /** x: N x (3 + guides) x H x W in [-1, 1], RGB first. Dropout (training mode only) draws from `rng`. */
  GeneratorOutput forward(const torch::Tensor& x, at::Generator& rng);
  NetOptions options;
  std::vector<DownBlock> downs;
  std::vector<UpBlock> ups;
};
TORCH_MODULE(UNetGenerator);

/** PatchGAN discriminator on cat(input RGB, output) (6 channels, guides not shown); returns one logit per patch. */
struct PatchDiscriminatorImpl : torch::nn::Module {
  explicit PatchDiscriminatorImpl(const NetOptions& o);
  torch::Tensor forward(const torch::Tensor& pair);
  torch::nn::Sequential body{nullptr};
};
TORCH_MODULE(PatchDiscriminator);

/** pix2pix initialisation: conv weights N(0, 0.02), biases 0, batch-norm weights N(1, 0.02). */
void initWeights(torch::nn::Module& module, at::Generator& rng);

}  // namespace vidgan
