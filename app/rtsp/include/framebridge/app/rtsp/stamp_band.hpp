#pragma once

// The stamp band: how a frame's seq and capture times travel inside the RTSP picture.
//
// An RTSP reader such as cv2.VideoCapture hands out decoded pixels and, at best, a
// timestamp relative to the first frame it saw: RTP timestamps, SEI and metadata tracks do
// not reach it. So the server adds STAMP rows below each frame, a band of 8x8 blocks that
// survives lossy coding, and the reader crops them off again.
//
//  - The band is stamp_band_height(width) rows tall, a multiple of 16, below row `height`.
//  - Its payload is STAMP_BYTES little-endian bytes: seq (u32, the low bits of the frame's
//    seq), capture time on the server's steady clock (u48, microseconds), capture time on
//    the wall clock (u56, microseconds since the Unix epoch), then a check byte: the sum of
//    the others plus 0x5A, modulo 256.
//  - Bit i of the payload (byte i / 8, least significant bit first) is the block in column
//    i % (width / 8) and block row i / (width / 8): luma 235 for a one, 16 for a zero.
//    Whatever the band holds past the last bit is black.
//
// python_sdk/framebridge/rtsp.py reads it back; both follow this comment.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace framebridge::app {

constexpr std::uint32_t STAMP_BYTES = 18;
constexpr std::uint32_t STAMP_BLOCK = 8;
constexpr std::uint32_t MIN_STAMP_WIDTH = 2 * STAMP_BLOCK;

/// @brief What the band carries for one frame.
struct Stamp {
    std::uint64_t seq = 0;              ///< only its low 32 bits travel
    std::uint64_t capture_us = 0;       ///< steady clock; only its low 48 bits travel
    std::uint64_t capture_unix_us = 0;  ///< wall clock; only its low 56 bits travel
};

/// @brief Rows the band adds below a frame `width` pixels wide (at least MIN_STAMP_WIDTH).
std::uint32_t stamp_band_height(std::uint32_t width) noexcept;

/// @brief Writes `stamp` into the band whose first luma row is `band`, `stride` bytes apart.
void write_stamp(std::uint8_t* band, std::size_t stride, std::uint32_t width,
                 const Stamp& stamp) noexcept;

/// @brief The stamp in a band of decoded luma; std::nullopt when its check byte is wrong.
std::optional<Stamp> read_stamp(const std::uint8_t* band, std::size_t stride,
                                std::uint32_t width) noexcept;

}  // namespace framebridge::app
