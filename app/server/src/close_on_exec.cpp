#include "framebridge/app/server/close_on_exec.hpp"

#include <cstdint>
#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#endif

namespace framebridge::app {

namespace {

template <typename Handle>
void mark_handle(Handle handle) {
#ifdef _WIN32
    SetHandleInformation(reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(handle)),
                         HANDLE_FLAG_INHERIT, 0);
#else
    const int flags = ::fcntl(handle, F_GETFD);
    if (flags >= 0) {
        ::fcntl(handle, F_SETFD, flags | FD_CLOEXEC);
    }
#endif
}

}  // namespace

void mark_close_on_exec(boost::asio::ip::tcp::socket& socket) {
    if (socket.is_open()) {
        mark_handle(socket.native_handle());
    }
}

void mark_close_on_exec(boost::asio::ip::tcp::acceptor& acceptor) {
    if (acceptor.is_open()) {
        mark_handle(acceptor.native_handle());
    }
}

}  // namespace framebridge::app
