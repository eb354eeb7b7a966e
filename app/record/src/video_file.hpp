#pragma once

#include "framebridge/app/record/record_file.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace framebridge::app {

/// @brief A video file being written, frame by frame, by the first encoder that opens it.
class VideoFile {
public:
    /// @brief Throws std::runtime_error naming the path and the encoders tried when none opens.
    VideoFile(const std::string& path, Container container, shm::FrameGeometry geometry,
              double fps);
    ~VideoFile();
    VideoFile(const VideoFile&) = delete;
    VideoFile& operator=(const VideoFile&) = delete;

    /// @brief Copies a frame of the geometry given out of `pixels` (rows `stride` bytes apart),
    /// so the caller may let it go; then write() encodes it.
    void take(const std::byte* pixels, std::uint32_t stride);
    void write();
    /// @brief Finishes the file (an MP4's index is written here); safe to repeat.
    void close();

    const std::string& encoder() const noexcept { return encoder_; }

private:
    struct Writer;
    std::unique_ptr<Writer> writer_;
    std::string encoder_;
};

}  // namespace framebridge::app
