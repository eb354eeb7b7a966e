#pragma once
// The client's TCP connection: connect, send bytes, receive whole server messages, each with a
// deadline. Boost.Asio, run on this connection's own io_context from the caller's thread.

#include "framebridge/protocol/messages.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace framebridge::detail {

using Clock = std::chrono::steady_clock;
using Deadline = std::optional<Clock::time_point>;  ///< none: wait forever

/// @brief Any message a server sends.
using ServerMessage =
    std::variant<protocol::Welcome, protocol::ErrorMessage, protocol::FrameMessage,
                 protocol::StreamMessage, protocol::SegmentMessage, protocol::StreamsMessage>;

/// @brief The message's name as the protocol spells it, e.g. "FRAME".
const char* message_name(const ServerMessage& message) noexcept;

class Connection {
public:
    /// @brief Connects with TCP_NODELAY (a RELEASE must not wait for Nagle). Throws
    /// ServerUnavailable or Timeout.
    Connection(const std::string& host, std::uint16_t port,
               std::optional<std::chrono::milliseconds> timeout);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// @brief Writes all of `bytes` (one or more whole messages) in one send. Throws ServerGone.
    void send(const protocol::Bytes& bytes);

    /// @brief The next message, or none once `deadline` has passed; past it, what has already
    /// arrived is still taken, without waiting. Throws ServerGone or ProtocolMismatch.
    std::optional<ServerMessage> receive(Deadline deadline);

    /// @brief The exception an ERROR message stands for (AccessDenied, ProtocolMismatch, ...).
    [[noreturn]] void throw_error(const protocol::ErrorMessage& message) const;

    const std::string& address() const noexcept { return address_; }
    void close() noexcept;

private:
    std::optional<ServerMessage> parse();
    void read_more(Deadline deadline);
    [[noreturn]] void gone(const std::string& reason) const;

    std::string address_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    protocol::Bytes buffer_;
    std::size_t start_ = 0;
    std::size_t end_ = 0;
};

}  // namespace framebridge::detail
