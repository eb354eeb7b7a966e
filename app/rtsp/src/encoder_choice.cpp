#include "framebridge/app/rtsp/encoder_choice.hpp"

#include <algorithm>
#include <stdexcept>

namespace framebridge::app {

namespace {

constexpr double BITS_PER_PIXEL = 0.1;
constexpr double DEFAULT_FPS = 30.0;
constexpr std::uint32_t MIN_KBPS = 500;
constexpr std::uint32_t MAX_KBPS = 80000;
constexpr int JPEG_QUALITY = 90;

// SPS and PPS with every key frame: a client that joins late decodes from the next one.
const char* const H264_TAIL = " ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1";

std::string launch_for(const std::string& element, std::uint32_t kbps) {
    const std::string rate = std::to_string(kbps);
    if (element == "nvh264enc") {
        return "nvh264enc name=enc preset=low-latency-hq zerolatency=true bitrate=" + rate +
               H264_TAIL;
    }
    if (element == "vaapih264enc") {
        return "vaapih264enc name=enc rate-control=cbr bitrate=" + rate + H264_TAIL;
    }
    if (element == "x264enc") {
        // No B-frames and no look-ahead: each frame leaves the encoder as soon as it is coded.
        // A key frame every 60 frames bounds how long a lost packet spoils the picture (UDP).
        return "x264enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max=60 "
               "bitrate=" +
               rate + H264_TAIL;
    }
    if (element == "openh264enc") {
        return "openh264enc name=enc complexity=low bitrate=" + std::to_string(kbps * 1000ULL) +
               H264_TAIL;
    }
    return "jpegenc name=enc quality=" + std::to_string(JPEG_QUALITY) +
           " ! rtpjpegpay name=pay0 pt=26";
}

}  // namespace

const std::vector<std::string>& known_encoders() {
    static const std::vector<std::string> encoders{"nvh264enc", "vaapih264enc", "x264enc",
                                                   "openh264enc", "jpegenc"};
    return encoders;
}

EncoderChoice choose_encoder(const std::string& wanted, std::uint32_t bitrate_kbps,
                             const std::function<bool(const std::string&)>& available) {
    const auto& known = known_encoders();
    std::string element;
    if (wanted == "auto") {
        const auto found = std::find_if(known.begin(), known.end(), available);
        if (found == known.end()) {
            throw std::invalid_argument(
                "no video encoder found for RTSP (x264enc or jpegenc): install "
                "gstreamer1.0-plugins-ugly or gstreamer1.0-plugins-good");
        }
        element = *found;
    } else if (std::find(known.begin(), known.end(), wanted) == known.end()) {
        throw std::invalid_argument("--rtsp-encoder '" + wanted +
                                    "' is not one of auto, nvh264enc, vaapih264enc, x264enc, "
                                    "openh264enc, jpegenc");
    } else if (!available(wanted)) {
        throw std::invalid_argument("--rtsp-encoder " + wanted +
                                    ": GStreamer has no such element here; see "
                                    "gst-inspect-1.0 " +
                                    wanted + ", or give auto");
    } else {
        element = wanted;
    }
    EncoderChoice choice;
    choice.element = element;
    choice.codec = element == "jpegenc" ? "MJPEG" : "H.264";
    choice.hardware = element == "nvh264enc" || element == "vaapih264enc";
    choice.launch = launch_for(element, bitrate_kbps);
    return choice;
}

std::uint32_t default_bitrate_kbps(const shm::FrameGeometry& geometry, double fps) {
    const double rate = fps > 0 ? fps : DEFAULT_FPS;
    const double kbps =
        static_cast<double>(geometry.width) * geometry.height * rate * BITS_PER_PIXEL / 1000.0;
    return std::clamp(static_cast<std::uint32_t>(kbps), MIN_KBPS, MAX_KBPS);
}

}  // namespace framebridge::app
