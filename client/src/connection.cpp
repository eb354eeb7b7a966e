#include "connection.hpp"

#include "framebridge/client/errors.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>

namespace framebridge::detail {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Twice the largest message (STREAMS: 8 + 65536 bytes), so one always fits behind a partial one.
constexpr std::size_t BUFFER_BYTES =
    2 * (protocol::HEADER_BYTES + protocol::MAX_STREAMS_BODY_BYTES);

std::string seconds(std::chrono::milliseconds timeout) {
    return std::to_string(static_cast<double>(timeout.count()) / 1000.0) + " s";
}

bool is_stream_name(const std::string& name) {
    try {
        shm::validate_segment_name(name);
        return true;
    } catch (const std::invalid_argument&) {
        return false;
    }
}

// ERROR 5's text ends with the server's streams: "...; it has: front, back".
std::vector<std::string> names_listed(const std::string& text) {
    static const std::string LEAD = "it has: ";
    const std::size_t at = text.rfind(LEAD);
    std::vector<std::string> names;
    for (std::size_t start = at == std::string::npos ? text.size() : at + LEAD.size();
         start < text.size();) {
        const std::size_t comma = std::min(text.find(", ", start), text.size());
        const std::string name = text.substr(start, comma - start);
        if (is_stream_name(name)) {
            names.push_back(name);
        }
        start = comma + 2;
    }
    return names;
}

}  // namespace

const char* message_name(const ServerMessage& message) noexcept {
    static constexpr const char* NAMES[] = {"WELCOME", "ERROR",   "FRAME",
                                            "STREAM",  "SEGMENT", "STREAMS"};
    return NAMES[message.index()];
}

Connection::Connection(const std::string& host, std::uint16_t port,
                       std::optional<std::chrono::milliseconds> timeout)
    : address_(host + ":" + std::to_string(port)), socket_(io_), buffer_(BUFFER_BYTES) {
    error_code ec;
    asio::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) {
        throw ServerUnavailable("no FrameBridge server at " + address_ + ": cannot resolve '" +
                                host + "' (" + ec.message() + ")");
    }
    std::optional<error_code> result;
    asio::async_connect(
        socket_, endpoints,
        [&result](const error_code& e, const asio::ip::tcp::endpoint&) { result = e; });
    io_.restart();
    if (timeout) {
        io_.run_for(*timeout);
    } else {
        io_.run();
    }
    if (!result) {
        socket_.close(ec);
        io_.restart();
        io_.run();  // lets the cancelled handler finish before `result` goes
        throw Timeout("connecting to a FrameBridge server at " + address_ + " took more than " +
                      seconds(*timeout));
    }
    if (*result) {
        const std::string reason = *result == asio::error::connection_refused
                                       ? std::string("connection refused")
                                       : result->message();
        throw ServerUnavailable("no FrameBridge server at " + address_ + " (" + reason +
                                "); start one with `make run` or build/bin/framebridge-server");
    }
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void Connection::gone(const std::string& reason) const {
    throw ServerGone("FrameBridge server at " + address_ + " closed the connection (" + reason +
                     "); the server stopped or crashed");
}

void Connection::send(const protocol::Bytes& bytes) {
    error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
    if (ec) {
        gone(ec.message());
    }
}

std::optional<ServerMessage> Connection::parse() {
    const std::size_t have = end_ - start_;
    if (have < protocol::HEADER_BYTES) {
        return std::nullopt;
    }
    try {
        const auto header =
            protocol::parse_header(buffer_.data() + start_, protocol::Sender::Server);
        if (have < protocol::HEADER_BYTES + header.body_size) {
            return std::nullopt;
        }
        const auto body_start =
            buffer_.begin() + static_cast<std::ptrdiff_t>(start_ + protocol::HEADER_BYTES);
        const protocol::Bytes body(body_start, body_start + header.body_size);
        start_ += protocol::HEADER_BYTES + header.body_size;
        if (start_ == end_) {
            start_ = end_ = 0;
        }
        switch (header.type) {
        case protocol::MessageType::Welcome:
            return protocol::parse_welcome(body);
        case protocol::MessageType::Error:
            return protocol::parse_error(body);
        case protocol::MessageType::Frame:
            return protocol::parse_frame(body);
        case protocol::MessageType::Stream:
            return protocol::parse_stream(body);
        case protocol::MessageType::Segment:
            return protocol::parse_segment(body);
        case protocol::MessageType::Streams:
            return protocol::parse_streams(body);
        default:
            break;
        }
        throw protocol::ProtocolError("type " + std::to_string(static_cast<int>(header.type)) +
                                      " is not a message a server sends");
    } catch (const protocol::ProtocolError& e) {
        throw ProtocolMismatch("FrameBridge server at " + address_ +
                               " sent a bad message: " + e.what());
    }
}

std::optional<ServerMessage> Connection::receive(Deadline deadline) {
    while (true) {
        if (auto message = parse()) {
            return message;
        }
        if (start_ > 0) {
            std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(start_),
                      buffer_.begin() + static_cast<std::ptrdiff_t>(end_), buffer_.begin());
            end_ -= start_;
            start_ = 0;
        }
        if (deadline && Clock::now() >= *deadline) {
            error_code ec;
            const std::size_t ready = socket_.available(ec);
            if (ec) {
                gone(ec.message());
            }
            if (ready == 0) {
                return std::nullopt;
            }
            // Bytes are waiting, so this read returns at once.
            end_ += socket_.read_some(
                asio::buffer(buffer_.data() + end_, std::min(ready, buffer_.size() - end_)), ec);
            if (ec) {
                gone(ec.message());
            }
            continue;
        }
        const std::size_t before = end_;
        read_more(deadline);
        if (end_ == before) {
            return std::nullopt;
        }
    }
}

void Connection::read_more(Deadline deadline) {
    std::optional<error_code> result;
    std::size_t count = 0;
    socket_.async_read_some(asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
                            [&result, &count](const error_code& e, std::size_t n) {
                                result = e;
                                count = n;
                            });
    io_.restart();
    if (deadline) {
        io_.run_until(*deadline);
    } else {
        io_.run();
    }
    if (!result) {
        error_code ignored;
        socket_.cancel(ignored);
        io_.restart();
        io_.run();  // the read finishes, cancelled or with what arrived meanwhile
    }
    end_ += count;
    if (*result && *result != asio::error::operation_aborted) {
        gone(*result == asio::error::eof ? std::string("end of stream") : result->message());
    }
}

void Connection::throw_error(const protocol::ErrorMessage& message) const {
    const std::string text = "FrameBridge server at " + address_ +
                             " closed the connection: " + message.text + " (error code " +
                             std::to_string(static_cast<std::uint32_t>(message.code)) + ")";
    switch (message.code) {
    case protocol::ErrorCode::VersionMismatch:
        throw ProtocolMismatch(text);
    case protocol::ErrorCode::AccessDenied:
        throw AccessDenied(text);
    case protocol::ErrorCode::StreamNotFound:
        throw StreamNotFound(text, names_listed(message.text));
    default:
        throw FrameBridgeError(text);
    }
}

void Connection::close() noexcept {
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

}  // namespace framebridge::detail
