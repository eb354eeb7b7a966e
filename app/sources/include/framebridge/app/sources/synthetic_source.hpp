#pragma once

#include "framebridge/app/sources/frame_source.hpp"

#include <vector>

namespace framebridge::app {

/// @brief The synthetic source's size and rate when none is asked for.
constexpr shm::FrameGeometry SYNTHETIC_DEFAULT_GEOMETRY{3840, 2160, shm::PixelFormat::Bgr8};
constexpr double SYNTHETIC_DEFAULT_FPS = 30.0;

/// @brief A moving diagonal colour pattern, made with one memcpy per row so that it never
/// limits a benchmark. Stamps each frame's sequence number as a little-endian u64 into the
/// first 8 bytes of row 0 and the last 8 pixel bytes of the last row.
class SyntheticSource : public FrameSource {
public:
    /// @brief Throws std::invalid_argument unless a row holds at least 8 bytes of pixels.
    explicit SyntheticSource(const shm::FrameGeometry& geometry);

    shm::FrameGeometry geometry() const override;
    std::string description() const override;
    GrabResult grab() override;
    bool retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) override;
    double natural_fps() const override;
    bool rewind() override;

private:
    shm::FrameGeometry geometry_;
    std::size_t row_bytes_;
    // Two palettes of one row plus a period, so any shift of the pattern is one contiguous copy.
    std::vector<std::byte> palettes_[2];
};

/// @brief Reads the stamp back: the u64 at `offset` of `data`, little-endian.
std::uint64_t read_stamp(const std::byte* data, std::size_t offset) noexcept;

}  // namespace framebridge::app
