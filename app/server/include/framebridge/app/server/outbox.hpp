#pragma once

#include "framebridge/protocol/messages.hpp"

#include <deque>

namespace framebridge::app {

/// @brief The messages waiting to be written to one client, the front one being written.
/// A client that reads slowly needs only the newest STREAM and SEGMENT, so an unsent one is
/// replaced by the next of its type rather than queued behind it; never across a FRAME,
/// which must arrive after the SEGMENT that maps its slot.
class Outbox {
public:
    /// @brief Queues a whole encoded message (header included).
    void push(protocol::Bytes message);
    const protocol::Bytes& front() const { return messages_.front().bytes; }
    void pop_front() { messages_.pop_front(); }
    bool empty() const noexcept { return messages_.empty(); }
    std::size_t size() const noexcept { return messages_.size(); }

private:
    struct Message {
        protocol::MessageType type;
        protocol::Bytes bytes;
    };
    std::deque<Message> messages_;
};

}  // namespace framebridge::app
