#pragma once
// What a camera reports about its frames (exposure, gain, ...: docs/segment-layout.md, Frame
// metadata), read through CameraControls so that it is tested without a camera.

#include "framebridge/app/sources/camera_settings.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <vector>

namespace framebridge::app {

/// @brief The OpenCV property (cv::CAP_PROP_...) a metadata key is read from.
int opencv_property(shm::MetadataKey key) noexcept;

/// @brief True when `value`, as cv::VideoCapture::get returned it, is a value the device
/// reported: the camera backends (V4L2, MSMF) return -1 for a property they do not support.
bool is_reported(double value) noexcept;

/// @brief Keeps a camera's metadata fresh at the cost of one property read per frame.
///
/// A property read can be a device round trip (a UVC camera answers a control read over USB,
/// about a millisecond), and V4L2 prints a line for every unsupported property it is asked
/// for. So every key is asked once, at construction; the keys the camera does not report are
/// never asked again, and each frame refreshes one of the others in turn: with k keys reported,
/// a value is at most k frames old.
class CameraMetadataReader {
public:
    /// @brief Asks `camera`, which must outlive the reader, for every key.
    explicit CameraMetadataReader(const CameraControls& camera);

    /// @brief Refreshes the next reported key and returns every key's latest value.
    const shm::FrameMetadata& next_frame();

private:
    void read(shm::MetadataKey key);

    const CameraControls& camera_;
    std::vector<shm::MetadataKey> asked_;
    std::size_t next_ = 0;
    shm::FrameMetadata metadata_;
};

}  // namespace framebridge::app
