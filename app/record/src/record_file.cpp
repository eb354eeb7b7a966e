#include "framebridge/app/record/record_file.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace framebridge::app {

Container container_of(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".mp4") {
        return Container::Mp4;
    }
    if (extension == ".mkv") {
        return Container::Matroska;
    }
    if (extension == ".avi") {
        return Container::Avi;
    }
    throw std::invalid_argument("cannot record to '" + path +
                                "': its extension says no video kind known here; name the file "
                                "*.mp4 or *.mkv (H.264) or *.avi (MJPEG)");
}

std::string sidecar_path(const std::string& video_path) {
    return video_path + ".jsonl";
}

}  // namespace framebridge::app
