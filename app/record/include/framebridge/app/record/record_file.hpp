#pragma once

#include <string>

namespace framebridge::app {

/// @brief The kinds of video file a recording can be, chosen by the file's extension.
enum class Container { Mp4, Matroska, Avi };

/// @brief The container `path`'s extension names (.mp4, .mkv, .avi; any case). Throws
/// std::invalid_argument naming the path and the extensions there are when it names none.
Container container_of(const std::string& path);

/// @brief Where a recording's sidecar goes: the video's path with ".jsonl" added
/// (clip.mp4 -> clip.mp4.jsonl), so the two sort together and neither hides the other.
std::string sidecar_path(const std::string& video_path);

}  // namespace framebridge::app
