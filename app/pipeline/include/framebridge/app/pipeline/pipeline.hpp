#pragma once

#include "framebridge/app/capture/local_frame.hpp"
#include "framebridge/app/capture/pace.hpp"
#include "framebridge/app/server/result_event.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief One capture stream: its name and where its frames come from (a --source SPEC).
struct StreamSpec {
    std::string name;
    std::string source;
};

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
    /// Several capture streams, the first the first stream (--stream NAME=SPEC); size, rate,
    /// encoding and loop apply to each. Empty: the one stream `name`, from `source`.
    std::vector<StreamSpec> streams;
    std::uint32_t slots = 3;  ///< of each capture stream, and of a published one by default
};

/// @brief The capture streams `config` asks for: its `streams`, or the one from name and source.
std::vector<StreamSpec> capture_streams(const PipelineConfig& config);

/// @brief Throws std::invalid_argument naming the first stream whose name is not usable or is
/// given twice.
void validate_stream_names(const std::vector<StreamSpec>& streams);

/// @brief The whole pipeline without a window: the capture streams (each a source, a ring and
/// a capture thread), the streams clients publish, and the TCP server thread.
/// framebridge-server and the desktop app both drive this one class.
class Pipeline {
public:
    /// @brief Claims the segments, listens, and starts capturing. Throws std::exception with a
    /// message for a person, naming the stream, when it cannot; nothing is left behind then.
    explicit Pipeline(const PipelineConfig& config);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// @brief Stops capture, closes every connection, and removes the segment; safe to repeat.
    void stop();

    /// @brief Serves another source (or size, rate, encoding) on the first stream without
    /// dropping anyone: the new
    /// source is opened first (when it cannot be, this throws and nothing changes), then a new
    /// segment generation replaces the old one and every client is told to follow it; frame
    /// numbers go on from where they were. Name, port and slots stay as they are. No
    /// LocalFrame may be held across it.
    void switch_source(const PipelineConfig& next);

    /// @brief Safe from any thread.
    PipelineStats stats() const;

    /// @brief Holds the first stream's newest frame in place if it is newer than `after_seq`,
    /// for a reader in this process; the producer skips its slot until the LocalFrame goes,
    /// which must be before stop() or switch_source(). Safe from any thread.
    std::optional<LocalFrame> lease_newest(std::uint64_t after_seq);
    /// @brief The same for the stream `stream` ("" for the first), captured or published by a
    /// client; std::nullopt when there is no newer frame or no such stream (a publisher may go
    /// at any time). A published stream's frame stays valid after its publisher has gone.
    std::optional<LocalFrame> lease_newest(const std::string& stream, std::uint64_t after_seq);

    /// @brief `handler` gets every result any client sends on any stream from now on, on the
    /// server's network thread (see ResultHandler); it stays until the pipeline stops. Safe from
    /// any thread while the pipeline runs, but not at the same time as stop(); a stopped
    /// pipeline takes no handler (a new Pipeline needs its handlers registered again).
    void on_result(ResultHandler handler);

    /// @brief Every stream it hosts, the first first: captured ones, then those clients
    /// publish, in the order they were made. Safe from any thread.
    std::vector<StreamInfo> streams() const;
    std::uint16_t port() const noexcept;
    std::string endpoint() const;
    /// @brief Of the first stream.
    std::string segment_name() const;
    std::uint64_t segment_size() const;
    std::string source_description() const;
    /// @brief The rate the first stream is captured at; 0 when the source paces itself.
    double capture_fps() const;

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace framebridge::app
