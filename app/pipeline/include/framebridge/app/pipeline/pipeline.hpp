#pragma once

#include "framebridge/app/capture/local_frame.hpp"
#include "framebridge/app/capture/pace.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace framebridge::app {

/// @brief What a pipeline captures and where it serves it.
struct PipelineConfig {
    std::string source = "synthetic";            ///< a --source SPEC (see source_spec.hpp)
    std::optional<shm::FrameGeometry> geometry;  ///< none: the source's own size
    std::optional<double> fps;  ///< none: the source's own rate; 0: as fast as it goes
    std::string fourcc;         ///< cameras: the encoding to ask for
    bool loop = false;          ///< files: start again at the end
    Pace pace = Pace::Source;   ///< Clients: files only; default fps then as fast as they read
    std::string listen_address = "127.0.0.1";
    std::uint16_t port = 7600;  ///< 0: any free port
    std::string token;          ///< empty: clients need none
    std::string name = "framebridge";
    std::uint32_t slots = 3;
};

/// @brief The whole capture pipeline without a window: source, ring, capture thread and
/// TCP server thread. framebridge-server and the desktop app both drive this one class.
class Pipeline {
public:
    /// @brief Claims the segment, listens, and starts capturing. Throws std::exception with a
    /// message for a person when it cannot; nothing is left behind when it throws.
    explicit Pipeline(const PipelineConfig& config);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// @brief Stops capture, closes every connection, and removes the segment; safe to repeat.
    void stop();

    /// @brief Serves another source (or size, rate, encoding) without dropping anyone: the new
    /// source is opened first (when it cannot be, this throws and nothing changes), then a new
    /// segment generation replaces the old one and every client is told to follow it; frame
    /// numbers go on from where they were. Name, port and slots stay as they are. No
    /// LocalFrame may be held across it.
    void switch_source(const PipelineConfig& next);

    /// @brief Safe from any thread.
    PipelineStats stats() const;

    /// @brief Holds the newest frame in place if it is newer than `after_seq`, for a reader
    /// in this process; the producer skips its slot until the LocalFrame goes, which must be
    /// before stop() or switch_source(). Safe from any thread.
    std::optional<LocalFrame> lease_newest(std::uint64_t after_seq);
    std::uint16_t port() const noexcept;
    std::string endpoint() const;
    std::string segment_name() const;
    std::uint64_t segment_size() const;
    std::string source_description() const;
    /// @brief The rate the capture is paced at; 0 when the source paces itself.
    double capture_fps() const;

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace framebridge::app
