#pragma once
// Sample videos the tests make for themselves: each frame carries its own index as a row of
// 16 black or white blocks (bit i of the index in block i, least significant first), big
// enough to survive lossy codecs, so a reader can check it got frame N and not another.

#include <opencv2/core.hpp>
#include <string>

namespace framebridge::test {

constexpr int COUNTER_BITS = 16;
constexpr int COUNTER_BLOCK_PX = 16;

/// @brief Draws frame `index` of a sample: a gradient that moves, the counter blocks on top.
cv::Mat sample_frame(cv::Size size, int index);

/// @brief The index the counter blocks of a BGR frame say; -1 when they say nothing clear.
int read_counter(const cv::Mat& bgr);

/// @brief Writes `frames` sample frames with cv::VideoWriter; throws std::runtime_error when
/// the codec or container is not available.
void write_sample_video(const std::string& path, const std::string& fourcc, cv::Size size,
                        int frames, double fps);

}  // namespace framebridge::test
