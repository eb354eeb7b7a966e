#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace framebridge::app {

class Pipeline;

/// @brief Where and how the RTSP server serves a pipeline's streams.
struct RtspConfig {
    std::uint16_t port = 8554;  ///< 0: any free port
    std::string listen_address = "127.0.0.1";
    std::string token;  ///< not empty: clients log in as user "framebridge" with it (Basic)
    std::string encoder = "auto";    ///< "auto" or one of known_encoders()
    std::uint32_t bitrate_kbps = 0;  ///< 0: default_bitrate_kbps() of each stream
};

/// @brief What the RTSP server did since it started.
struct RtspStats {
    std::string encoder;          ///< the element every stream is encoded with
    std::uint32_t clients = 0;    ///< RTSP connections open now
    std::uint64_t frames = 0;     ///< frames pushed to an encoder
    std::uint64_t skipped = 0;    ///< published while the encoder was busy: never encoded
    std::uint64_t unstamped = 0;  ///< frames too narrow for the stamp band (see stamp_band.hpp)
    std::uint32_t held = 0;       ///< ring slots the encoders hold now
    std::uint32_t held_max = 0;   ///< the most they ever held at once
    std::uint64_t encoded = 0;    ///< frames out of an encoder
    std::uint64_t encode_ns = 0;  ///< frame handed over -> encoded, summed over `encoded`
};

/// @brief Serves every stream of a running Pipeline, captured or published, at
/// rtsp://ADDRESS:PORT/NAME through gst-rtsp-server. Each stream's encoder reads the ring as a
/// client does: it leases the newest frame, hands the slot itself to GStreamer, and gives the
/// lease back when GStreamer lets go of it, so it holds at most one slot per stream and a slow
/// encoder or client only skips frames. A stream that appears later is served from the next
/// request for it on.
class RtspServer {
public:
    /// @brief Listens at once. Throws std::exception with a message for a person (the port in
    /// use, no encoder) when it cannot. `pipeline` must outlive it, and it must go before
    /// pipeline.stop() or pipeline.switch_source().
    RtspServer(Pipeline& pipeline, const RtspConfig& config);
    ~RtspServer();
    RtspServer(const RtspServer&) = delete;
    RtspServer& operator=(const RtspServer&) = delete;

    std::uint16_t port() const noexcept;
    /// @brief rtsp://ADDRESS:PORT/STREAM
    std::string url(const std::string& stream) const;
    /// @brief Safe from any thread.
    RtspStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// @brief The statistics line: "rtsp: ENCODER, N client(s), ...".
std::string format_rtsp_stats(const RtspStats& stats);

}  // namespace framebridge::app
