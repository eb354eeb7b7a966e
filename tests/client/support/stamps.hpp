#pragma once

#include "framebridge/app/sources/synthetic_source.hpp"
#include "framebridge/client/frame.hpp"

#include <string>

namespace framebridge::test {

/// @brief "" when a frame carries its own seq in both synthetic-source stamps (the first 8 bytes
/// of row 0, the last 8 bytes of the last row's pixels), else what it carries instead.
inline std::string stamp_problem(const Frame& frame) {
    const auto* pixels = reinterpret_cast<const std::byte*>(frame.data());
    const std::size_t last = std::size_t{frame.height() - 1} * frame.stride() +
                             std::size_t{frame.width()} * bytes_per_pixel(frame.format()) - 8;
    const std::uint64_t first_stamp = app::read_stamp(pixels, 0);
    const std::uint64_t last_stamp = app::read_stamp(pixels, last);
    if (first_stamp == frame.seq() && last_stamp == frame.seq()) {
        return {};
    }
    return "frame " + std::to_string(frame.seq()) + " is stamped " + std::to_string(first_stamp) +
           " / " + std::to_string(last_stamp);
}

}  // namespace framebridge::test
