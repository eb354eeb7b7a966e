#pragma once
// A cv::Mat over a Frame's pixels, for programs that have OpenCV; the client itself never needs
// it. Include this header only where OpenCV is.

#include "framebridge/client/errors.hpp"
#include "framebridge/client/frame.hpp"

#include <opencv2/core/mat.hpp>

namespace framebridge {

/// @brief The frame's pixels as a cv::Mat (CV_8UC3 BGR, CV_8UC1 or CV_8UC4 BGRA), no copy.
///
/// The Mat points into shared memory the producer may write once the frame is released: use it
/// while the Frame is held, and only read it (the mapping is read-only; writing faults). clone()
/// it to keep pixels, then check frame.valid() to know the clone is whole.
inline cv::Mat as_mat(const Frame& frame) {
    int type = 0;
    switch (frame.format()) {
    case PixelFormat::Bgr8:
        type = CV_8UC3;
        break;
    case PixelFormat::Gray8:
        type = CV_8UC1;
        break;
    case PixelFormat::Bgra8:
        type = CV_8UC4;
        break;
    default:
        throw FrameBridgeError(std::string("as_mat: no cv::Mat type for pixel format ") +
                               to_string(frame.format()));
    }
    // cv::Mat has no read-only view; the const is restored by how the caller uses it.
    auto* data = const_cast<std::uint8_t*>(frame.data());
    return cv::Mat(static_cast<int>(frame.height()), static_cast<int>(frame.width()), type, data,
                   frame.stride());
}

}  // namespace framebridge
