#include "framebridge/app/rtsp/stamp_band.hpp"

#include <array>
#include <cstring>

namespace framebridge::app {

namespace {

constexpr std::uint32_t STAMP_BITS = STAMP_BYTES * 8;
constexpr std::uint8_t LUMA_ONE = 235;
constexpr std::uint8_t LUMA_ZERO = 16;
constexpr std::uint8_t CHECK_SEED = 0x5A;

using Payload = std::array<std::uint8_t, STAMP_BYTES>;

void put_le(Payload& payload, std::size_t at, std::uint64_t value, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) {
        payload[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

std::uint64_t get_le(const Payload& payload, std::size_t at, std::size_t bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
        value |= static_cast<std::uint64_t>(payload[at + i]) << (8 * i);
    }
    return value;
}

std::uint8_t check_byte(const Payload& payload) {
    unsigned sum = CHECK_SEED;
    for (std::size_t i = 0; i + 1 < payload.size(); ++i) {
        sum += payload[i];
    }
    return static_cast<std::uint8_t>(sum & 0xFFU);
}

std::uint32_t columns(std::uint32_t width) {
    return width / STAMP_BLOCK;
}

}  // namespace

std::uint32_t stamp_band_height(std::uint32_t width) noexcept {
    const std::uint32_t cols = columns(width) == 0 ? 1 : columns(width);
    const std::uint32_t block_rows = (STAMP_BITS + cols - 1) / cols;
    const std::uint32_t rows = block_rows * STAMP_BLOCK;
    return (rows + 15) / 16 * 16;
}

void write_stamp(std::uint8_t* band, std::size_t stride, std::uint32_t width,
                 const Stamp& stamp) noexcept {
    Payload payload{};
    put_le(payload, 0, stamp.seq, 4);
    put_le(payload, 4, stamp.capture_us, 6);
    put_le(payload, 10, stamp.capture_unix_us, 7);
    payload[STAMP_BYTES - 1] = check_byte(payload);
    const std::uint32_t cols = columns(width);
    for (std::uint32_t bit = 0; bit < STAMP_BITS; ++bit) {
        const bool one = ((static_cast<std::uint32_t>(payload[bit / 8]) >> (bit % 8)) & 1U) != 0;
        const std::size_t x = (bit % cols) * STAMP_BLOCK;
        const std::size_t y = (bit / cols) * STAMP_BLOCK;
        for (std::size_t row = 0; row < STAMP_BLOCK; ++row) {
            std::memset(band + (y + row) * stride + x, one ? LUMA_ONE : LUMA_ZERO, STAMP_BLOCK);
        }
    }
}

std::optional<Stamp> read_stamp(const std::uint8_t* band, std::size_t stride,
                                std::uint32_t width) noexcept {
    Payload payload{};
    const std::uint32_t cols = columns(width);
    for (std::uint32_t bit = 0; bit < STAMP_BITS; ++bit) {
        // The block's middle: its edges blur into the neighbours when coded.
        const std::size_t x = (bit % cols) * STAMP_BLOCK + STAMP_BLOCK / 2;
        const std::size_t y = (bit / cols) * STAMP_BLOCK + STAMP_BLOCK / 2;
        if (band[y * stride + x] > (LUMA_ONE + LUMA_ZERO) / 2) {
            payload[bit / 8] = static_cast<std::uint8_t>(payload[bit / 8] | (1U << (bit % 8)));
        }
    }
    if (payload[STAMP_BYTES - 1] != check_byte(payload)) {
        return std::nullopt;
    }
    return Stamp{get_le(payload, 0, 4), get_le(payload, 4, 6), get_le(payload, 10, 7)};
}

}  // namespace framebridge::app
