#include "framebridge/app/record/record_stats.hpp"

#include <fmt/format.h>

namespace framebridge::app {

std::string format_record_stats(const RecordStats& s) {
    std::string line = fmt::format(
        "recording '{}' to {} ({}): {} frames, {} dropped, {} results, {:.1f} MB, {:.1f} fps, "
        "{:.1f} s",
        s.stream, s.path, s.encoder, s.frames, s.dropped, s.results,
        static_cast<double>(s.bytes) / 1e6, s.fps, s.seconds);
    if (!s.error.empty()) {
        line += "; stopped: " + s.error;
    }
    return line;
}

}  // namespace framebridge::app
