#include "framebridge/client/frame_metadata.hpp"

#include "framebridge/shm/segment_layout.hpp"

namespace framebridge {

static_assert(METADATA_KEY_COUNT == shm::METADATA_KEYS);
static_assert(static_cast<std::uint32_t>(MetadataKey::Fps) ==
                  static_cast<std::uint32_t>(shm::MetadataKey::Fps) &&
              static_cast<std::uint32_t>(MetadataKey::AutoWhiteBalance) ==
                  static_cast<std::uint32_t>(shm::MetadataKey::AutoWhiteBalance) &&
              static_cast<std::uint32_t>(MetadataKey::WhiteBalanceTemperature) ==
                  static_cast<std::uint32_t>(shm::MetadataKey::WhiteBalanceTemperature));

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
