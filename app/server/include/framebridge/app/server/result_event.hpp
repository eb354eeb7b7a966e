#pragma once

#include "framebridge/protocol/messages.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace framebridge::app {

/// @brief A RESULT a client sent, as the server hands it to the program that embeds it.
struct ResultEvent {
    std::string stream;  ///< the stream the sender reads, which the result is about
    std::uint32_t sender_id = 0;
    std::string sender_name;
    std::uint64_t received_ns = 0;  ///< when the server read it (monotonic clock)
    protocol::Result result;
};

/// @brief Called on the server's network thread for each result, in the order they arrive: it
/// must return quickly (hand the event to another thread for anything slow).
using ResultHandler = std::function<void(const ResultEvent&)>;

}  // namespace framebridge::app
