#include "framebridge/shm/segment_layout.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace framebridge::shm {
namespace {

constexpr std::uint64_t round_up(std::uint64_t value, std::uint64_t multiple) noexcept {
    return (value + multiple - 1) / multiple * multiple;
}

// Keeps every size well inside 64 bits and inside what one process can map.
constexpr std::uint64_t MAX_FRAME_BYTES = std::uint64_t{1} << 32;

// In MetadataKey order; the names are the layout document's and the SDKs'.
constexpr std::array<const char*, METADATA_KEYS> METADATA_KEY_NAMES{
    "exposure",  "gain",          "brightness",
    "contrast",  "saturation",    "hue",
    "sharpness", "gamma",         "white_balance_temperature",
    "focus",     "zoom",          "backlight",
    "iso_speed", "auto_exposure", "auto_white_balance",
    "fps"};

constexpr std::uint64_t bit(MetadataKey key) noexcept {
    return std::uint64_t{1} << static_cast<std::uint32_t>(key);
}

}  // namespace

const char* to_string(MetadataKey key) noexcept {
    const auto index = static_cast<std::uint32_t>(key);
    return index < METADATA_KEYS ? METADATA_KEY_NAMES[index] : "unknown";
}

void FrameMetadata::set(MetadataKey key, double value) noexcept {
    const auto index = static_cast<std::uint32_t>(key);
    if (index < METADATA_KEYS) {
        values[index] = value;
        reported |= bit(key);
    }
}

void FrameMetadata::clear(MetadataKey key) noexcept {
    const auto index = static_cast<std::uint32_t>(key);
    if (index < METADATA_KEYS) {
        values[index] = 0.0;
        reported &= ~bit(key);
    }
}

std::optional<double> FrameMetadata::get(MetadataKey key) const noexcept {
    const auto index = static_cast<std::uint32_t>(key);
    if (index >= METADATA_KEYS || (reported & bit(key)) == 0) {
        return std::nullopt;
    }
    return values[index];
}

std::uint32_t bytes_per_pixel(PixelFormat format) noexcept {
    switch (format) {
    case PixelFormat::Bgr8:
        return 3;
    case PixelFormat::Gray8:
        return 1;
    case PixelFormat::Bgra8:
        return 4;
    case PixelFormat::None:
        break;
    }
    return 0;
}

const char* to_string(PixelFormat format) noexcept {
    switch (format) {
    case PixelFormat::Bgr8:
        return "BGR8";
    case PixelFormat::Gray8:
        return "GRAY8";
    case PixelFormat::Bgra8:
        return "BGRA8";
    case PixelFormat::None:
        break;
    }
    return "unknown";
}

std::uint32_t FrameGeometry::stride() const noexcept {
    const std::uint64_t row = std::uint64_t{width} * bytes_per_pixel(format);
    return static_cast<std::uint32_t>(round_up(row, ROW_ALIGN_BYTES));
}

std::uint64_t FrameGeometry::payload_size() const noexcept {
    return std::uint64_t{stride()} * height;
}

void validate_geometry(const FrameGeometry& geometry) {
    const auto side_ok = [](std::uint32_t side) { return side >= 1 && side <= MAX_FRAME_SIDE; };
    if (!side_ok(geometry.width) || !side_ok(geometry.height)) {
        throw std::invalid_argument("frame size " + std::to_string(geometry.width) + "x" +
                                    std::to_string(geometry.height) + " is outside 1x1.." +
                                    std::to_string(MAX_FRAME_SIDE) + "x" +
                                    std::to_string(MAX_FRAME_SIDE));
    }
    if (bytes_per_pixel(geometry.format) == 0) {
        throw std::invalid_argument("pixel format " +
                                    std::to_string(static_cast<std::uint32_t>(geometry.format)) +
                                    " is not one of BGR8, GRAY8, BGRA8");
    }
}

RingLayout compute_ring_layout(std::uint32_t slot_count, std::uint64_t frame_bytes) {
    if (slot_count < MIN_SLOTS || slot_count > MAX_SLOTS) {
        throw std::invalid_argument("slot count " + std::to_string(slot_count) + " is outside " +
                                    std::to_string(MIN_SLOTS) + ".." + std::to_string(MAX_SLOTS));
    }
    if (frame_bytes == 0 || frame_bytes > MAX_FRAME_BYTES) {
        throw std::invalid_argument("frame size " + std::to_string(frame_bytes) +
                                    " bytes is outside 1.." + std::to_string(MAX_FRAME_BYTES));
    }
    RingLayout layout;
    layout.slot_count = slot_count;
    layout.slot_capacity = round_up(frame_bytes, PAGE_BYTES);
    layout.grant_offset = round_up(HEADER_BYTES + DESCRIPTOR_BYTES * slot_count, GRANT_CELL_BYTES);
    layout.data_offset = round_up(layout.grant_offset + GRANT_CELL_BYTES * GRANT_CELLS, PAGE_BYTES);
    layout.segment_size = layout.data_offset + layout.slot_capacity * slot_count;
    return layout;
}

}  // namespace framebridge::shm
