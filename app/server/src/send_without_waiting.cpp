#include "framebridge/app/server/send_without_waiting.hpp"

#ifndef _WIN32
#include <sys/socket.h>
#include <sys/types.h>
#endif

namespace framebridge::app {

std::size_t send_without_waiting(boost::asio::ip::tcp::socket& socket,
                                 const protocol::Bytes& message) {
#ifdef _WIN32
    (void)socket;
    (void)message;
    return 0;
#else
    // MSG_DONTWAIT: whatever mode Boost.Asio has put the socket in, this call never blocks.
    const ssize_t sent =
        ::send(socket.native_handle(), message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    return sent > 0 ? static_cast<std::size_t>(sent) : 0;
#endif
}

}  // namespace framebridge::app
