#pragma once

#include <boost/asio/ip/tcp.hpp>

namespace framebridge::app {

/// @brief Keeps `socket` from being inherited by any process this one starts (a script run from
/// the desktop app): an inherited listener would hold the port after the server stops, and an
/// inherited connection would keep a client's handshake waiting on a server that is gone.
/// Boost.Asio opens and accepts sockets without this mark. Does nothing to a closed socket.
void mark_close_on_exec(boost::asio::ip::tcp::socket& socket);
void mark_close_on_exec(boost::asio::ip::tcp::acceptor& acceptor);

}  // namespace framebridge::app
