#pragma once

#include "framebridge/protocol/messages.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <cstddef>

namespace framebridge::app {

/// @brief Writes as much of `message` as the socket's send buffer takes at once, from any
/// thread, and returns how many bytes that was: 0 when the buffer is full or the connection is
/// broken (the io thread's next write finds out which). Never waits, never raises SIGPIPE.
/// Windows: always 0, since Boost.Asio's sockets there are overlapped and a plain send() on
/// them may block; the caller then queues the whole message for the io thread.
std::size_t send_without_waiting(boost::asio::ip::tcp::socket& socket,
                                 const protocol::Bytes& message);

}  // namespace framebridge::app
