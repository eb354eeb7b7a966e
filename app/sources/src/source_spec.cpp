#include "framebridge/app/sources/source_spec.hpp"

#include <regex>
#include <stdexcept>

namespace framebridge::app {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

int camera_number(const std::string& spec, const std::string& digits) {
    static const std::regex number(R"(\d{1,3})");
    if (!std::regex_match(digits, number)) {
        throw std::invalid_argument("source '" + spec +
                                    "' is not a camera number: use camera:0, camera:1, ...");
    }
    return std::stoi(digits);
}

}  // namespace

std::string SourceSpec::describe() const {
    switch (kind) {
    case Kind::Synthetic:
        return "synthetic";
    case Kind::Camera:
        return "camera:" + std::to_string(camera_index);
    case Kind::File:
        return "file '" + target + "'";
    case Kind::Url:
        return "stream " + target;
    case Kind::GStreamer:
        return "GStreamer pipeline '" + target + "'";
    }
    return target;
}

SourceSpec parse_source_spec(const std::string& spec) {
    static const std::regex bare_number(R"(\d+)");
    SourceSpec parsed;
    if (spec.empty()) {
        throw std::invalid_argument(
            "the source is empty; use synthetic, camera:N, a file, a URL "
            "or gst:PIPELINE");
    }
    if (spec == "synthetic") {
        return parsed;
    }
    if (starts_with(spec, "camera:") || std::regex_match(spec, bare_number)) {
        parsed.kind = SourceSpec::Kind::Camera;
        parsed.camera_index =
            camera_number(spec, starts_with(spec, "camera:") ? spec.substr(7) : spec);
        return parsed;
    }
    if (starts_with(spec, "gst:")) {
        parsed.kind = SourceSpec::Kind::GStreamer;
        parsed.target = spec.substr(4);
        if (parsed.target.find_first_not_of(' ') == std::string::npos) {
            throw std::invalid_argument("source '" + spec + "' has an empty GStreamer pipeline");
        }
        return parsed;
    }
    for (const char* scheme : {"rtsp://", "rtsps://", "http://", "https://", "rtmp://", "udp://"}) {
        if (starts_with(spec, scheme)) {
            parsed.kind = SourceSpec::Kind::Url;
            parsed.target = spec;
            return parsed;
        }
    }
    parsed.kind = SourceSpec::Kind::File;
    parsed.target = spec;
    return parsed;
}

}  // namespace framebridge::app
