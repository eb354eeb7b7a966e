#include "framebridge/app/record/sidecar_lines.hpp"

#include <fmt/format.h>

namespace framebridge::app {

namespace {

constexpr int SIDECAR_VERSION = 1;

template <typename Items, typename Format>
std::string json_array(const Items& items, Format format) {
    std::string out = "[";
    for (const auto& item : items) {
        if (out.size() > 1) {
            out += ',';
        }
        out += format(item);
    }
    return out + "]";
}

std::string point_json(const protocol::Point& p) {
    return fmt::format("[{},{}]", p.x, p.y);
}

}  // namespace

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            // Other control characters are not allowed raw in JSON; UTF-8 passes as it is.
            if (static_cast<unsigned char>(c) < 0x20) {
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string header_line(const SidecarHeader& h) {
    return fmt::format(
        R"({{"type":"recording","version":{},"stream":{},"video":{},"width":{},"height":{},)"
        R"("format":{},"fps":{},"encoder":{},"writer":{},"wall_offset_ns":{}}})",
        SIDECAR_VERSION, json_string(h.stream), json_string(h.video), h.geometry.width,
        h.geometry.height, json_string(shm::to_string(h.geometry.format)), h.fps,
        json_string(h.encoder), json_string(h.writer), h.wall_offset_ns);
}

std::string frame_line(std::uint64_t index, std::uint64_t seq, std::uint64_t capture_ns,
                       std::int64_t wall_offset_ns) {
    const std::int64_t wall_ns =
        capture_ns == 0 ? 0 : static_cast<std::int64_t>(capture_ns) + wall_offset_ns;
    return fmt::format(R"({{"type":"frame","index":{},"seq":{},"capture_ns":{},"wall_ns":{}}})",
                       index, seq, capture_ns, wall_ns);
}

std::string result_line(const ResultEvent& event) {
    const protocol::Result& r = event.result;
    return fmt::format(
        R"({{"type":"result","seq":{},"capture_ns":{},"sender_id":{},"sender":{},)"
        R"("received_ns":{},"boxes":{},"labels":{},"scores":{},"points":{},"polylines":{},)"
        R"("text":{}}})",
        r.seq, r.capture_ns, event.sender_id, json_string(event.sender_name), event.received_ns,
        json_array(r.boxes,
                   [](const protocol::Box& b) {
                       return fmt::format("[{},{},{},{}]", b.x, b.y, b.w, b.h);
                   }),
        json_array(r.labels, json_string),
        json_array(r.scores, [](float s) { return fmt::format("{}", s); }),
        json_array(r.points, point_json),
        json_array(
            r.polylines,
            [](const std::vector<protocol::Point>& line) { return json_array(line, point_json); }),
        json_string(r.text));
}

std::string end_line(std::uint64_t frames, std::uint64_t dropped, std::uint64_t results) {
    return fmt::format(R"({{"type":"end","frames":{},"dropped":{},"results":{}}})", frames, dropped,
                       results);
}

}  // namespace framebridge::app
