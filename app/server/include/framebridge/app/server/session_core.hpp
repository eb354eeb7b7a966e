#pragma once

#include "framebridge/app/server/publisher.hpp"
#include "framebridge/app/server/served_stream.hpp"
#include "framebridge/app/server/session_context.hpp"
#include "framebridge/app/stats/latency_window.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief Where a connection is in its life.
enum class SessionPhase {
    Handshake,  ///< connected, no HELLO yet
    Open,       ///< greeted: asks for frames and gives them back
    Closing,    ///< an ERROR is on its way; nothing more is read or answered
    Closed,     ///< gone, its frames given back
};

/// @brief A client broke the protocol or may not go on: ERROR `code` with `what()`, then close.
class SessionError : public std::runtime_error {
public:
    SessionError(protocol::ErrorCode code, const std::string& text)
        : std::runtime_error(text), code_(code) {}
    protocol::ErrorCode code() const noexcept { return code_; }

private:
    protocol::ErrorCode code_;
};

/// @brief One client's side of the protocol with no socket: the handshake and the stream it
/// reads, the frames it holds, its outstanding REQUEST, the stream it publishes, and its
/// statistics. Messages in, messages to send out; a message that breaks the protocol throws
/// SessionError. One thread at a time (ClientSession's lock), but stats(), reads() and
/// last_sent_seq(), which any thread may call.
class SessionCore {
public:
    SessionCore(std::uint32_t id, StreamRegistry& streams, const SessionPolicy& policy,
                StreamEvents events = {});

    SessionPhase phase() const noexcept { return phase_; }
    std::uint32_t id() const noexcept { return id_; }
    /// @brief Whether it has said HELLO, whatever its phase now.
    bool greeted() const;
    /// @brief The newest frame this client was sent, 0 for none; any thread.
    std::uint64_t last_sent_seq() const noexcept { return last_sent_seq_.load(); }

    /// @brief One whole message from the client; returns what to send back, in order.
    std::vector<protocol::Bytes> receive(const protocol::MessageHeader& header,
                                         const protocol::Bytes& body, std::uint64_t now_ns);

    /// @brief Whether it reads `stream` (said HELLO to it); any thread.
    bool reads(const ServedStream& stream) const noexcept { return reading_.load() == &stream; }
    /// @brief Whether it counts among `stream`'s readers: it said HELLO to it and is not a
    /// publisher that has never asked for a frame (a publisher's connection names a stream in
    /// its HELLO only because every connection must). Any thread.
    bool counts_as_reader_of(const ServedStream& stream) const noexcept {
        return reads(stream) && counted_as_reader_.load();
    }

    /// @brief Whether it reads `stream` and has asked, with WATCH, for the results sent on it.
    bool watches(const ServedStream& stream) const noexcept { return watching_ && reads(stream); }

    /// @brief A newer frame exists: the FRAME to send if this client is waiting for one.
    std::optional<protocol::Bytes> offer_newest();

    /// @brief A WRITE of its waits for a free slot: call retry_write() again later.
    bool write_waiting() const noexcept { return publisher_.write_waiting(); }
    /// @brief The SLOT for its waiting WRITE, if a slot can be lent now.
    std::optional<protocol::Bytes> retry_write(std::uint64_t now_ns);

    /// @brief The message that tells this client of a new segment generation or stream state,
    /// once it has said HELLO. Its frames of an older generation stop counting against its
    /// limit on their own (each held frame knows its generation); it still gives them back.
    std::optional<protocol::Bytes> announce(const protocol::SegmentMessage& segment) const;
    std::optional<protocol::Bytes> announce(const protocol::StreamMessage& state) const;

    /// @brief An ERROR is being sent: nothing more is read or answered.
    void closing() noexcept;
    /// @brief Gives back every frame it holds and ends the stream it publishes; how many frames
    /// there were.
    std::size_t close();

    /// @brief "client 3 'name' (pid 42)", or "client 3" before HELLO.
    std::string label() const;
    /// @brief This client's numbers but the connection's own (queued, waiting_ns); any thread.
    ClientStats stats(std::uint64_t now_ns) const;

private:
    struct HeldFrame {
        shm::Lease lease;
        std::uint64_t publish_ns;
        std::uint32_t generation;
    };

    std::vector<protocol::Bytes> on_hello(const protocol::Hello& hello);
    std::vector<protocol::Bytes> on_open_message(const protocol::MessageHeader& header,
                                                 const protocol::Bytes& body, std::uint64_t now_ns);
    std::shared_ptr<ServedStream> stream_named(const std::string& name) const;
    protocol::Bytes list_streams() const;
    std::optional<protocol::Bytes> on_request(const protocol::Request& request);
    /// @brief SPIN: lends this connection a grant cell of its stream, once; CELL says which.
    protocol::Bytes on_spin();
    void on_release(const protocol::Release& release, std::uint64_t now_ns);
    void check_token(const std::string& token) const;
    std::size_t held_in_current_generation() const;
    protocol::Bytes on_publish(const protocol::Publish& request);
    void count_as_reader(bool counted);
    void count_timings(std::uint64_t publish_ns, const protocol::Release& release,
                       std::uint64_t now_ns);
    void on_result(const protocol::Bytes& body, std::uint64_t now_ns);

    std::uint32_t id_;
    StreamRegistry& streams_;
    const SessionPolicy& policy_;
    std::shared_ptr<ServedStream> stream_;  ///< the one it reads, from HELLO on
    std::atomic<const ServedStream*> reading_{nullptr};
    std::atomic<bool> counted_as_reader_{false};
    std::string hello_name_;  ///< as sent, for the results it sends
    bool watching_ = false;
    decltype(StreamEvents::result) relay_result_;  ///< before publisher_, which takes the rest
    Publisher publisher_;
    SessionPhase phase_ = SessionPhase::Handshake;
    std::optional<std::uint64_t> pending_after_seq_;
    std::atomic<bool> waiting_{false};  ///< pending_after_seq_ is set, for stats()
    std::vector<HeldFrame> held_;
    std::atomic<std::uint64_t> last_sent_seq_{0};
    /// The grant cell lent by SPIN: offer_newest() writes each frame it leases there too.
    std::optional<std::uint32_t> grant_cell_;

    mutable std::mutex stats_mutex_;
    ClientStats stats_;
    LatencyWindow ready_window_;
    LatencyWindow hold_window_;
    LatencyWindow result_window_;
};

}  // namespace framebridge::app
