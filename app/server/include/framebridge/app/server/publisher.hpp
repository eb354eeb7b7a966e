#pragma once

#include "framebridge/app/server/published_stream.hpp"
#include "framebridge/app/server/session_context.hpp"
#include "framebridge/protocol/messages.hpp"

#include <cstdint>
#include <memory>
#include <optional>

namespace framebridge::app {

class StreamRegistry;

/// @brief One connection's own stream (docs/wire-protocol.md, Publishing): PUBLISH makes it,
/// WRITE lends a slot, DONE publishes the frame in it, CANCEL gives it back unpublished. The
/// slot's descriptor and seqlock word are written here, never by the client, so a reader never
/// sees a half-written frame. A request out of turn throws SessionError. Io thread only.
class Publisher {
public:
    Publisher(StreamRegistry& streams, const SessionPolicy& policy, StreamEvents events);
    ~Publisher();
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    /// @brief Makes the stream and lists it; returns the PUBLISHING answer.
    protocol::Bytes publish(const protocol::Publish& request);
    /// @brief The SLOT answer, or std::nullopt while no slot is free: then retry_write() later.
    std::optional<protocol::Bytes> write(std::uint64_t now_ns);
    /// @brief The SLOT answer to the outstanding WRITE, if a slot can be lent now.
    std::optional<protocol::Bytes> retry_write(std::uint64_t now_ns);
    /// @brief A WRITE waits for a slot.
    bool write_waiting() const noexcept { return state_ == State::Waiting; }
    void done(const protocol::Done& done, std::uint64_t now_ns);
    void cancel(const protocol::Cancel& cancel);
    /// @brief Ends the stream, if it made one: out of the listing, its name removed, its readers
    /// told. Safe to repeat.
    void close();

private:
    enum class State {
        Unpublished,  ///< no PUBLISH yet
        Idle,         ///< publishing; no slot lent, no WRITE outstanding
        Waiting,      ///< a WRITE waits for a free slot
        Lent,         ///< the client writes into lent_slot_
        Closed,       ///< its stream has ended
    };

    void check_lent(std::uint32_t slot, const char* what) const;

    StreamRegistry& streams_;
    const SessionPolicy& policy_;
    StreamEvents events_;
    State state_ = State::Unpublished;
    std::shared_ptr<PublishedStream> stream_;
    std::uint32_t lent_slot_ = 0;
};

}  // namespace framebridge::app
