#include "handshake.hpp"

#include "framebridge/client/errors.hpp"
#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <cstdio>
#include <cstdlib>

namespace framebridge::detail {
namespace {

constexpr const char* TOKEN_VARIABLE = "FRAMEBRIDGE_TOKEN";

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string hello_name(const std::string& name) {
    std::string printable = name;
    for (char& c : printable) {
        if (is_control(c)) {
            c = '?';
        }
    }
    std::size_t size = std::min(printable.size(), protocol::MAX_NAME_BYTES);
    while (size > 0 && size < printable.size() && is_utf8_continuation(printable[size])) {
        --size;  // never cut a character in two
    }
    return printable.substr(0, size);
}

std::string checked_token(const std::optional<std::string>& token) {
    std::string where = "token";
    std::string value;
    if (token) {
        value = *token;
    } else if (const char* from_environment = std::getenv(TOKEN_VARIABLE)) {
        value = from_environment;
        where = TOKEN_VARIABLE;
    }
    if (value.size() > protocol::MAX_TOKEN_BYTES) {
        throw FrameBridgeError("the " + where + " is " + std::to_string(value.size()) +
                               " bytes, the server takes at most " +
                               std::to_string(protocol::MAX_TOKEN_BYTES));
    }
    for (char c : value) {
        if (is_control(c)) {
            throw FrameBridgeError("the " + where +
                                   " contains a control character; a token is printable text");
        }
    }
    return value;
}

std::string checked_stream(const std::string& stream) {
    if (!stream.empty()) {
        try {
            shm::validate_segment_name(stream);
        } catch (const std::invalid_argument& e) {
            throw FrameBridgeError(std::string("cannot ask for that stream: ") + e.what());
        }
    }
    return stream;
}

protocol::Welcome handshake(Connection& connection, const HelloRequest& request,
                            std::optional<std::chrono::milliseconds> timeout) {
    const Deadline deadline = timeout ? Deadline(Clock::now() + *timeout) : Deadline(std::nullopt);
    protocol::Hello hello;
    hello.client_pid = shm::current_process_id();
    hello.name = hello_name(request.name);
    hello.token = request.token;
    hello.stream = request.stream;
    connection.send(protocol::encode(hello));
    const auto message = connection.receive(deadline);
    if (!message) {
        throw Timeout("FrameBridge server at " + connection.address() +
                      " did not answer the handshake within " + seconds_text(*timeout));
    }
    if (const auto* error = std::get_if<protocol::ErrorMessage>(&*message)) {
        connection.throw_error(*error);
    }
    const auto* welcome = std::get_if<protocol::Welcome>(&*message);
    if (welcome == nullptr) {
        throw ProtocolMismatch("FrameBridge server at " + connection.address() +
                               " answered HELLO with " + message_name(*message) +
                               ", expected WELCOME");
    }
    const protocol::Welcome& w = *welcome;
    if (w.protocol_version != protocol::PROTOCOL_VERSION ||
        w.layout_version != shm::LAYOUT_VERSION) {
        throw ProtocolMismatch("FrameBridge server at " + connection.address() +
                               " speaks protocol version " + std::to_string(w.protocol_version) +
                               " with layout version " + std::to_string(w.layout_version) +
                               "; this client speaks protocol " +
                               std::to_string(protocol::PROTOCOL_VERSION) + ", layout " +
                               std::to_string(shm::LAYOUT_VERSION));
    }
    if (w.slot_count < shm::MIN_SLOTS || w.slot_count > shm::MAX_SLOTS || w.max_leases < 1 ||
        w.max_leases > w.slot_count) {
        throw ProtocolMismatch("FrameBridge server at " + connection.address() +
                               " sent WELCOME with slot_count " + std::to_string(w.slot_count) +
                               ", max_leases " + std::to_string(w.max_leases));
    }
    if (!request.stream.empty() && w.stream != request.stream) {
        throw ProtocolMismatch("FrameBridge server at " + connection.address() +
                               " was asked for stream '" + request.stream +
                               "' and answered with stream '" + w.stream + "'");
    }
    return w;
}

std::shared_ptr<shm::FrameRing> open_ring(const std::string& name, std::uint64_t segment_size,
                                          std::uint64_t session_id, std::uint32_t slot_count) {
    std::shared_ptr<shm::FrameRing> ring;
    try {
        ring = std::make_shared<shm::FrameRing>(shm::FrameRing::open(name));
    } catch (const shm::SegmentError& e) {
        if (e.reason() == shm::SegmentError::Reason::NotFound) {
            throw FrameBridgeError("no FrameBridge stream named " + name + " (" + e.what() +
                                   "); is the server on this machine?");
        }
        throw FrameBridgeError("cannot open FrameBridge stream " + name + ": " + e.what());
    } catch (const std::invalid_argument& e) {
        throw ProtocolMismatch("the server named segment '" + name + "': " + e.what());
    }
    const shm::SegmentHeader& h = ring->header();
    if (h.segment_size != segment_size || h.session_id != session_id ||
        h.slot_count != slot_count) {
        throw ProtocolMismatch("segment " + name + " has segment_size " +
                               std::to_string(h.segment_size) + ", session_id " +
                               std::to_string(h.session_id) + ", slot_count " +
                               std::to_string(h.slot_count) + "; the server announced " +
                               std::to_string(segment_size) + ", " + std::to_string(session_id) +
                               ", " + std::to_string(slot_count));
    }
    return ring;
}

std::string frame_problem(const protocol::FrameMessage& frame, const shm::FrameRing& ring) {
    const std::uint32_t bpp =
        shm::bytes_per_pixel(static_cast<shm::PixelFormat>(frame.pixel_format));
    const std::uint64_t capacity = ring.slot_capacity();
    if (bpp == 0) {
        return "unknown pixel_format " + std::to_string(frame.pixel_format);
    }
    if (frame.slot >= ring.slot_count()) {
        return "slot " + std::to_string(frame.slot) + " is not below slot_count " +
               std::to_string(ring.slot_count());
    }
    if (frame.width == 0 || frame.height == 0) {
        return "size " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
               " is empty";
    }
    if (frame.stride < std::uint64_t{frame.width} * bpp) {
        return "stride " + std::to_string(frame.stride) + " is less than width " +
               std::to_string(frame.width) + " x " + std::to_string(bpp) + " bytes";
    }
    if (std::uint64_t{frame.stride} * frame.height > capacity) {
        return "stride " + std::to_string(frame.stride) + " x height " +
               std::to_string(frame.height) + " exceeds slot_capacity " + std::to_string(capacity);
    }
    if (frame.payload_size > capacity) {
        return "payload_size " + std::to_string(frame.payload_size) + " exceeds slot_capacity " +
               std::to_string(capacity);
    }
    return {};
}

std::string seconds_text(std::chrono::nanoseconds duration) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", static_cast<double>(duration.count()) / 1e9);
    return text;
}

}  // namespace framebridge::detail
