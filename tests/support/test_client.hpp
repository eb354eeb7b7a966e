#pragma once
// A blocking FrameBridge client over a plain socket, for tests that play the client's part
// message by message, including the parts a well-behaved client never plays.

#include "framebridge/protocol/messages.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <optional>
#include <stdexcept>
#include <string>

namespace framebridge::test {

namespace protocol = framebridge::protocol;

class TestClient {
public:
    /// @brief receive_buffer_bytes > 0 shrinks the socket's receive buffer (before connecting,
    /// so the window stays small): a client that stops reading then backs up the server soon.
    explicit TestClient(std::uint16_t port, int timeout_ms = 2000, int receive_buffer_bytes = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (receive_buffer_bytes > 0) {
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes,
                         sizeof receive_buffer_bytes);
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            throw std::runtime_error("cannot connect to port " + std::to_string(port));
        }
    }
    ~TestClient() { close(); }
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    void close() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

    void send_raw(const std::string& bytes) {
        ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    void send(const protocol::Bytes& bytes) {
        ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }

    /// @brief The next server message, or std::nullopt on timeout or a closed connection.
    std::optional<std::pair<protocol::MessageHeader, protocol::Bytes>> receive() {
        protocol::Bytes header(protocol::HEADER_BYTES);
        if (!read_exact(header)) {
            return std::nullopt;
        }
        const auto parsed = protocol::parse_header(header.data(), protocol::Sender::Server);
        protocol::Bytes body(parsed.body_size);
        if (!read_exact(body)) {
            return std::nullopt;
        }
        return std::make_pair(parsed, body);
    }

    protocol::Welcome hello(const std::string& name = "test", const std::string& token = "") {
        send(
            protocol::encode(protocol::Hello{protocol::HELLO_MAGIC, protocol::PROTOCOL_VERSION,
                                             static_cast<std::uint32_t>(::getpid()), name, token}));
        const auto message = receive();
        if (!message || message->first.type != protocol::MessageType::Welcome) {
            throw std::runtime_error("no WELCOME");
        }
        return protocol::parse_welcome(message->second);
    }

    std::optional<protocol::FrameMessage> request(std::uint64_t after_seq) {
        send(protocol::encode(protocol::Request{after_seq}));
        return receive_frame();
    }

    std::optional<protocol::FrameMessage> receive_frame() {
        const auto message = receive();
        if (!message || message->first.type != protocol::MessageType::Frame) {
            return std::nullopt;
        }
        return protocol::parse_frame(message->second);
    }

    /// @brief The next message of `type`, skipping others; std::nullopt on timeout or close.
    std::optional<protocol::Bytes> receive_until(protocol::MessageType type) {
        while (auto message = receive()) {
            if (message->first.type == type) {
                return message->second;
            }
        }
        return std::nullopt;
    }

    std::optional<protocol::ErrorMessage> receive_error() {
        const auto message = receive();
        if (!message || message->first.type != protocol::MessageType::Error) {
            return std::nullopt;
        }
        return protocol::parse_error(message->second);
    }

    /// @brief True once the server has closed its side (a read sees end of stream).
    bool closed_by_server() {
        char byte = 0;
        return ::recv(fd_, &byte, 1, 0) == 0;
    }

private:
    bool read_exact(protocol::Bytes& into) {
        std::size_t got = 0;
        while (got < into.size()) {
            const auto n = ::recv(fd_, into.data() + got, into.size() - got, 0);
            if (n <= 0) {
                return false;
            }
            got += static_cast<std::size_t>(n);
        }
        return true;
    }

    int fd_ = -1;
};

}  // namespace framebridge::test
