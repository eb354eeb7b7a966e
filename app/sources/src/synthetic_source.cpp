#include "framebridge/app/sources/synthetic_source.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace framebridge::app {
namespace {

constexpr std::size_t PERIOD_PX = 256;
constexpr std::uint32_t BAND_ROWS = 135;
constexpr std::size_t SHIFT_PX_PER_FRAME = 4;
constexpr std::size_t STAMP_BYTES = 8;

// A smooth hue ramp; `phase` picks the palette so neighbouring bands differ.
std::vector<std::byte> make_palette(std::size_t pixels, std::uint32_t bpp, double phase) {
    std::vector<std::byte> row(pixels * bpp);
    constexpr double TAU = 6.283185307179586;
    for (std::size_t x = 0; x < pixels; ++x) {
        const double t = TAU * static_cast<double>(x % PERIOD_PX) / PERIOD_PX + phase;
        const auto channel = [t](double offset) {
            return static_cast<std::byte>(127.5 + 127.5 * std::sin(t + offset));
        };
        const std::byte bgr[4] = {channel(0.0), channel(2.1), channel(4.2), std::byte{255}};
        if (bpp == 1) {
            row[x] = bgr[1];
        } else {
            std::memcpy(&row[x * bpp], bgr, bpp);
        }
    }
    return row;
}

void write_stamp(std::byte* at, std::uint64_t seq) noexcept {
    for (std::size_t i = 0; i < STAMP_BYTES; ++i) {
        at[i] = static_cast<std::byte>(seq >> (8 * i));
    }
}

}  // namespace

SyntheticSource::SyntheticSource(const shm::FrameGeometry& geometry)
    : geometry_(geometry),
      row_bytes_(std::size_t{geometry.width} * shm::bytes_per_pixel(geometry.format)) {
    shm::validate_geometry(geometry);
    if (row_bytes_ < STAMP_BYTES) {
        throw std::invalid_argument("the synthetic source needs rows of at least 8 bytes; " +
                                    std::to_string(geometry.width) + " pixels of " +
                                    shm::to_string(geometry.format) + " is " +
                                    std::to_string(row_bytes_));
    }
    const std::uint32_t bpp = shm::bytes_per_pixel(geometry.format);
    palettes_[0] = make_palette(geometry.width + PERIOD_PX, bpp, 0.0);
    palettes_[1] = make_palette(geometry.width + PERIOD_PX, bpp, 3.14159);
}

shm::FrameGeometry SyntheticSource::geometry() const {
    return geometry_;
}

std::string SyntheticSource::description() const {
    return "synthetic " + std::to_string(geometry_.width) + "x" + std::to_string(geometry_.height) +
           " " + shm::to_string(geometry_.format);
}

GrabResult SyntheticSource::grab() {
    return GrabResult::Frame;
}

double SyntheticSource::natural_fps() const {
    return SYNTHETIC_DEFAULT_FPS;
}

bool SyntheticSource::rewind() {
    return true;
}

bool SyntheticSource::retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) {
    const std::size_t bpp = shm::bytes_per_pixel(geometry_.format);
    const std::size_t shift = static_cast<std::size_t>(seq % PERIOD_PX) * SHIFT_PX_PER_FRAME;
    for (std::uint32_t y = 0; y < geometry_.height; ++y) {
        const std::size_t band = (y / BAND_ROWS + seq / 64) % 2;
        const std::size_t offset_px = (shift + y) % PERIOD_PX;
        std::memcpy(dst + std::size_t{y} * stride, palettes_[band].data() + offset_px * bpp,
                    row_bytes_);
    }
    write_stamp(dst, seq);
    write_stamp(dst + std::size_t{geometry_.height - 1} * stride + row_bytes_ - STAMP_BYTES, seq);
    return true;
}

std::uint64_t read_stamp(const std::byte* data, std::size_t offset) noexcept {
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < STAMP_BYTES; ++i) {
        seq |= std::uint64_t{std::to_integer<std::uint8_t>(data[offset + i])} << (8 * i);
    }
    return seq;
}

}  // namespace framebridge::app
