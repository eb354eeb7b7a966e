#pragma once

#include "framebridge/app/record/record_stats.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace framebridge::app {

class Pipeline;

/// @brief What to record and where.
struct RecordOptions {
    std::string path;    ///< .mp4 or .mkv (H.264), or .avi (MJPEG); replaced if it exists
    std::string stream;  ///< "" for the pipeline's first stream
    double fps = 0.0;    ///< the video's frame rate; 0: the stream's, or 30 when it has none
    /// How long to wait for the stream's first frame, which gives the video its size.
    std::chrono::milliseconds first_frame_timeout{3000};
};

/// @brief Records one stream of a running Pipeline to a video file and its sidecar (see
/// docs/recording.md). It reads frames like any other client: on a thread of its own, each
/// newest frame held only while it is copied out, so capture never waits for the encoder; when
/// the encoder falls behind, the frames in between are skipped and counted as dropped.
class Recorder {
public:
    /// @brief Opens the files with the stream's first frame and starts recording. Throws
    /// std::exception with a message for a person (naming the path, stream or encoder and what
    /// to do) when it cannot; no file it made is left behind then.
    Recorder(Pipeline& pipeline, const RecordOptions& options);
    /// @brief stop().
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    /// @brief Stops and finalizes the video and the sidecar; safe to repeat. Must come before
    /// the pipeline stops or switches source (it may be holding a frame until then).
    void stop();

    /// @brief Safe from any thread.
    RecordStats stats() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace framebridge::app
