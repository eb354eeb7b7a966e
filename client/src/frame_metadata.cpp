#include "framebridge/client/frame_metadata.hpp"

#include "framebridge/shm/segment_layout.hpp"

namespace framebridge {

static_assert(METADATA_KEY_COUNT == shm::METADATA_KEYS);

namespace {

// The client's public enum mirrors the layout's, which its header cannot include: every key
// must keep the layout's number.
constexpr bool same(MetadataKey key, shm::MetadataKey layout) {
    return static_cast<std::uint32_t>(key) == static_cast<std::uint32_t>(layout);
}

}  // namespace

static_assert(same(MetadataKey::Exposure, shm::MetadataKey::Exposure) &&
              same(MetadataKey::Gain, shm::MetadataKey::Gain) &&
              same(MetadataKey::Brightness, shm::MetadataKey::Brightness) &&
              same(MetadataKey::Contrast, shm::MetadataKey::Contrast) &&
              same(MetadataKey::Saturation, shm::MetadataKey::Saturation) &&
              same(MetadataKey::Hue, shm::MetadataKey::Hue) &&
              same(MetadataKey::Sharpness, shm::MetadataKey::Sharpness) &&
              same(MetadataKey::Gamma, shm::MetadataKey::Gamma) &&
              same(MetadataKey::WhiteBalanceTemperature,
                   shm::MetadataKey::WhiteBalanceTemperature) &&
              same(MetadataKey::Focus, shm::MetadataKey::Focus) &&
              same(MetadataKey::Zoom, shm::MetadataKey::Zoom) &&
              same(MetadataKey::Backlight, shm::MetadataKey::Backlight) &&
              same(MetadataKey::IsoSpeed, shm::MetadataKey::IsoSpeed) &&
              same(MetadataKey::AutoExposure, shm::MetadataKey::AutoExposure) &&
              same(MetadataKey::AutoWhiteBalance, shm::MetadataKey::AutoWhiteBalance) &&
              same(MetadataKey::Fps, shm::MetadataKey::Fps));

const char* to_string(MetadataKey key) noexcept {
    return shm::to_string(static_cast<shm::MetadataKey>(key));
}

std::optional<double> FrameMetadata::get(MetadataKey key) const noexcept {
    const auto index = static_cast<std::uint32_t>(key);
    if (index >= METADATA_KEY_COUNT || ((reported_ >> index) & 1U) == 0) {
        return std::nullopt;
    }
    return values_[index];
}

std::vector<std::pair<MetadataKey, double>> FrameMetadata::items() const {
    std::vector<std::pair<MetadataKey, double>> reported;
    for (std::uint32_t k = 0; k < METADATA_KEY_COUNT; ++k) {
        if (const auto value = get(static_cast<MetadataKey>(k))) {
            reported.emplace_back(static_cast<MetadataKey>(k), *value);
        }
    }
    return reported;
}

}  // namespace framebridge
