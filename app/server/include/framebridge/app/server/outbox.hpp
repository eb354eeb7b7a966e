#pragma once

#include "framebridge/protocol/messages.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>

namespace framebridge::app {

/// @brief The messages waiting to be written to one client, the front one being written.
/// A client that reads slowly needs only the newest STREAM and SEGMENT, so an unsent one is
/// replaced by the next of its type rather than queued behind it; never across a FRAME,
/// which must arrive after the SEGMENT that maps its slot. Of the RESULT_FROMs, at most
/// MAX_WAITING_RESULTS wait behind the front: a newer one takes the place of the oldest, and
/// the next one written says how many it replaced (its `skipped`).
class Outbox {
public:
    static constexpr std::size_t MAX_WAITING_RESULTS = 8;

    /// @brief A message as it is written: its own bytes, then, for a RESULT_FROM, the bytes it
    /// shares with every other watcher of that result.
    struct Parts {
        const protocol::Bytes& own;
        const std::uint8_t* shared;
        std::size_t shared_size;
    };

    /// @brief Queues a whole encoded message (header included).
    void push(protocol::Bytes message);
    /// @brief Queues what is left of an encoded FRAME whose first `sent` bytes were written
    /// already (by a publishing thread).
    void push_frame_rest(protocol::Bytes frame, std::size_t sent);
    /// @brief Queues a RESULT_FROM encoded once for all its watchers, its `skipped` still 0.
    void push_result(std::shared_ptr<const protocol::Bytes> result_from);
    /// @brief The front message, the one being written.
    Parts front() const;
    void pop_front();
    bool empty() const noexcept { return messages_.empty(); }
    std::size_t size() const noexcept { return messages_.size(); }
    /// @brief The messages that count towards the limit on a client that does not read: all but
    /// RESULT_FROMs, which are bounded on their own.
    std::size_t counted_size() const noexcept { return messages_.size() - results_; }
    /// @brief RESULT_FROMs replaced before they were written, since the outbox was made.
    std::uint64_t results_skipped() const noexcept { return results_skipped_; }

private:
    struct Message {
        protocol::MessageType type;
        protocol::Bytes bytes;  ///< a RESULT_FROM's: up to and with its `skipped`
        std::shared_ptr<const protocol::Bytes> shared;  ///< a RESULT_FROM's whole message
    };

    void drop_oldest_waiting_result();
    void front_started();

    std::deque<Message> messages_;
    std::size_t results_ = 0;  ///< RESULT_FROMs in messages_
    std::uint32_t skipped_since_written_ = 0;
    std::uint64_t results_skipped_ = 0;
};

}  // namespace framebridge::app
