#pragma once
// A blocking FrameBridge client over a plain socket, for tests that play the client's part
// message by message, including the parts a well-behaved client never plays. Boost.Asio, so that
// the same tests run on Linux and on Windows.

#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace framebridge::test {

namespace protocol = framebridge::protocol;

class TestClient {
public:
    static constexpr int ANSWER_TIMEOUT_MS = 20000;
    // Long enough that a message the server did send would have arrived on loopback.
    static constexpr std::chrono::milliseconds QUIET{300};

    /// @brief Every read gives up after timeout_ms: long, because on a loaded machine (Wine, a
    /// sanitizer) an answer may take seconds; a test that expects nothing asks silent_for().
    /// receive_buffer_bytes > 0 shrinks the socket's receive buffer (before connecting, so the
    /// window stays small): a client that stops reading then backs up the server soon.
    explicit TestClient(std::uint16_t port, int timeout_ms = ANSWER_TIMEOUT_MS,
                        int receive_buffer_bytes = 0)
        : timeout_(timeout_ms) {
        namespace ip = boost::asio::ip;
        socket_.open(ip::tcp::v4());
        if (receive_buffer_bytes > 0) {
            socket_.set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer_bytes));
        }
        boost::system::error_code error;
        socket_.connect({ip::address_v4::loopback(), port}, error);
        if (error) {
            throw std::runtime_error("cannot connect to port " + std::to_string(port) + ": " +
                                     error.message());
        }
    }
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    void close() {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    /// @brief Closes as a killed process's connection may: at once, with a reset, nothing sent
    /// after.
    void reset() {
        boost::system::error_code ignored;
        socket_.set_option(boost::asio::socket_base::linger(true, 0), ignored);
        socket_.close(ignored);
    }

    void send_raw(const std::string& bytes) { write(boost::asio::buffer(bytes)); }
    void send(const protocol::Bytes& bytes) { write(boost::asio::buffer(bytes)); }

    /// @brief The next server message, or std::nullopt on timeout or a closed connection.
    std::optional<std::pair<protocol::MessageHeader, protocol::Bytes>> receive() {
        protocol::Bytes header(protocol::HEADER_BYTES);
        if (read(header)) {
            return std::nullopt;
        }
        const auto parsed = protocol::parse_header(header.data(), protocol::Sender::Server);
        protocol::Bytes body(parsed.body_size);
        if (read(body)) {
            return std::nullopt;
        }
        return std::make_pair(parsed, body);
    }

    protocol::Welcome hello(const std::string& name = "test", const std::string& token = "",
                            const std::string& stream = "") {
        send(protocol::encode(protocol::Hello{protocol::HELLO_MAGIC, protocol::PROTOCOL_VERSION,
                                              shm::current_process_id(), name, token, stream}));
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

    /// @brief True if no message begins to arrive within `window`. A message that does arrive is
    /// consumed; the test fails on it anyway.
    bool silent_for(std::chrono::milliseconds window = QUIET) {
        const std::chrono::milliseconds usual = timeout_;
        timeout_ = window;
        protocol::Bytes byte(1);
        const boost::system::error_code error = read(byte);
        timeout_ = usual;
        return error == boost::asio::error::timed_out;
    }

    /// @brief True once the server has closed its side: a read sees the end of the stream, or
    /// a reset (what a close with unread data sends).
    bool closed_by_server() {
        protocol::Bytes byte(1);
        const boost::system::error_code error = read(byte);
        return error == boost::asio::error::eof || error == boost::asio::error::connection_reset;
    }

private:
    void write(boost::asio::const_buffer bytes) {
        boost::system::error_code ignored;  // a closed connection shows in the next read
        boost::asio::write(socket_, bytes, ignored);
    }

    // Fills `into`; the error, timed_out, or none.
    boost::system::error_code read(protocol::Bytes& into) {
        boost::system::error_code result = boost::asio::error::timed_out;
        boost::asio::async_read(
            socket_, boost::asio::buffer(into),
            [&result](boost::system::error_code error, std::size_t) { result = error; });
        io_.restart();
        io_.run_for(timeout_);
        if (!io_.stopped()) {
            boost::system::error_code ignored;
            socket_.cancel(ignored);
            io_.run();  // the read ends, cancelled
            return boost::asio::error::timed_out;
        }
        return result;
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_{io_};
    std::chrono::milliseconds timeout_;
};

}  // namespace framebridge::test
