#pragma once

#include "framebridge/protocol/messages.hpp"
#include "framebridge/protocol/stream_state.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief p50/p99/max of the samples in a window, nanoseconds; all 0 when count is 0.
struct LatencySummary {
    std::uint64_t count = 0;
    std::uint64_t p50_ns = 0;
    std::uint64_t p99_ns = 0;
    std::uint64_t max_ns = 0;
};

struct CaptureStats {
    std::uint64_t grabbed = 0;
    std::uint64_t published = 0;
    std::uint64_t dropped = 0;  ///< grabbed but not published: no free slot, or undecodable
    std::uint64_t copies = 0;   ///< frames copied or converted into their slot, not decoded there
    double fps = 0.0;           ///< grabs in the last full second
    protocol::StreamState state = protocol::StreamState::Live;

    /// @brief copies / published: 0 when every frame was decoded straight into its slot.
    double copies_per_frame() const noexcept {
        return published == 0 ? 0.0 : static_cast<double>(copies) / static_cast<double>(published);
    }
};

struct ClientStats {
    std::uint32_t id = 0;
    std::string name;
    std::uint32_t pid = 0;
    std::string stream;             ///< the stream it reads; empty before HELLO and while it
                                    ///< only publishes
    std::string publishes;          ///< the stream it publishes; empty for none
    std::uint64_t frames = 0;       ///< FRAMEs sent
    std::uint64_t skipped = 0;      ///< published frames it never got, between ones it did
    std::uint32_t held = 0;         ///< frames it holds now
    std::uint64_t revoked = 0;      ///< frames taken back because it held them while none was free
    std::uint64_t bad_timings = 0;  ///< RELEASEs whose times were out of order: not counted
    std::uint32_t queued = 0;       ///< messages waiting for it to read what was sent before
    std::uint64_t waiting_ns = 0;   ///< how long the oldest of those has waited; 0 for none
    LatencySummary ready;           ///< publish -> client has the FRAME
    LatencySummary hold;            ///< client has the FRAME -> client released it
    std::uint64_t results = 0;      ///< RESULTs it sent
    std::uint64_t results_skipped = 0;  ///< RESULT_FROMs it watched for but was too slow to get
    LatencySummary to_result;           ///< a result's frame captured -> the server read the RESULT
    std::uint64_t sent_at_publish = 0;  ///< FRAMEs written whole by the thread that published them
    bool waiting = false;               ///< it asked for a frame and has not been sent it yet
};

/// @brief Connections the server turned away or dropped, since it started.
struct ConnectionStats {
    std::uint64_t accepted = 0;
    std::uint64_t refused = 0;          ///< a missing or wrong token
    std::uint64_t bad_messages = 0;     ///< closed for breaking the protocol
    std::uint64_t stopped_reading = 0;  ///< closed for leaving a message unread too long
};

/// @brief One stream a server hosts, as its listing and statistics show it.
struct StreamInfo {
    std::string name;
    protocol::Producer producer = protocol::Producer::Capture;
    shm::FrameGeometry geometry;   ///< width 0 before a capture stream knows its size
    double fps = 0.0;              ///< the rate it is captured or published at; 0 when unknown
    std::uint32_t clients = 0;     ///< connections reading it now
    std::uint64_t newest_seq = 0;  ///< the newest frame published, 0 before the first
    std::uint64_t published = 0;   ///< frames published since it was made
};

struct PipelineStats {
    CaptureStats capture;  ///< the first stream's capture
    std::vector<StreamInfo> streams;
    std::vector<ClientStats> clients;
    ConnectionStats connections;
};

}  // namespace framebridge::app
