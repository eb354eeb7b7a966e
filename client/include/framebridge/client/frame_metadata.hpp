#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace framebridge {

/// @brief What a source can report with a frame; the values are the segment layout's
/// (docs/segment-layout.md, Frame metadata).
enum class MetadataKey : std::uint32_t {
    Exposure = 0,
    Gain = 1,
    Brightness = 2,
    Contrast = 3,
    Saturation = 4,
    Hue = 5,
    Sharpness = 6,
    Gamma = 7,
    WhiteBalanceTemperature = 8,
    Focus = 9,
    Zoom = 10,
    Backlight = 11,
    IsoSpeed = 12,
    AutoExposure = 13,
    AutoWhiteBalance = 14,
    Fps = 15,
};
constexpr std::uint32_t METADATA_KEY_COUNT = 16;

/// @brief "exposure", "gain", ..., "fps" (the Python SDK's frame.metadata keys); "unknown" for a
/// value outside the list.
const char* to_string(MetadataKey key) noexcept;

/// @brief What the source reported with a frame (a camera's exposure, gain, ... as OpenCV reads
/// them, in the driver's units; a video file's fps); a key it did not report has no value.
class FrameMetadata {
public:
    /// @brief The value of `key`, or nothing when the source did not report it.
    std::optional<double> get(MetadataKey key) const noexcept;
    /// @brief True when the source reported nothing.
    bool empty() const noexcept { return reported_ == 0; }
    /// @brief The reported keys and their values, in key order.
    std::vector<std::pair<MetadataKey, double>> items() const;

private:
    friend class Frame;
    std::uint64_t reported_ = 0;
    std::array<double, METADATA_KEY_COUNT> values_{};
};

}  // namespace framebridge
