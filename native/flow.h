// Dense optical flow (OpenCV's DIS) and flow warps for the video's own structure (issue 11, item 3).
// Plain C++ over packed buffers; registerFlow adds the JS functions (declared in src/gan/binding.ts).
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

namespace vidgan {

/**
 * DIS presets: the first three numbered as OpenCV's cv::DISOpticalFlow::PRESET_*; Fine is Medium at
 * the frames' full resolution (finest scale 0: Medium stops a level short, at half size, and upsamples).
 */
enum class FlowPreset { Ultrafast = 0, Fast = 1, Medium = 2, Fine = 3 };

/**
 * Dense flow from grey frame `prev` to grey frame `next` (both width x height uint8): for a pixel x of
 * `prev`, x + flow(x) is where it lies in `next` (OpenCV's convention). Packed (dx, dy) float pairs,
 * width x height x 2. With `scale` < 1 the frames are shrunk first (area filter) and the flow is
 * scaled back up to full size, which is about 1/scale^2 times faster.
 */
std::vector<float> computeDisFlow(const uint8_t* prev, const uint8_t* next, int width, int height, FlowPreset preset,
                                  double scale);

/**
 * Samples `plane` (width x height uint8) at x + flow(x) for every pixel x: bilinear, borders
 * replicated. With flow = computeDisFlow(a, b), this carries a plane of b into a's geometry.
 */
std::vector<uint8_t> warpByFlow(const uint8_t* plane, const float* flow, int width, int height);

/** Adds `computeFlow` and `warpPlane` (Promise-returning, run on libuv's pool) to the addon's exports. */
void registerFlow(Napi::Env env, Napi::Object exports);

}  // namespace vidgan
