#pragma once

#include <cstdint>
#include <string>

namespace framebridge::app {

/// @brief How a recording goes, as the server's statistics line and the app show it.
struct RecordStats {
    std::string path;           ///< the video file
    std::string stream;         ///< the stream recorded
    std::string encoder;        ///< what writes the video, e.g. "GStreamer x264enc"
    std::uint64_t frames = 0;   ///< frames written to the video
    std::uint64_t dropped = 0;  ///< frames the stream published that the encoder was too slow for
    std::uint64_t results = 0;  ///< results written to the sidecar
    std::uint64_t bytes = 0;    ///< the video file's size on disk now
    double seconds = 0.0;       ///< since the recording started
    double fps = 0.0;           ///< frames written in the last full second
    bool running = false;       ///< false once stopped, or ended by `error`
    std::string error;          ///< why it ended by itself; empty when it did not
};

/// @brief One line: "recording 'front' to clip.mp4 (GStreamer x264enc): 120 frames, 3 dropped,
/// 12 results, 4.2 MB, 29.8 fps, 4.0 s", and the error when there is one.
std::string format_record_stats(const RecordStats& stats);

}  // namespace framebridge::app
