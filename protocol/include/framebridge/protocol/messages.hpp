#pragma once
// The wire protocol. docs/wire-protocol.md is its one description; this header implements it in
// C++, python_sdk/framebridge/_protocol.py in Python, and tests/vectors/wire.json holds the bytes
// both must agree on.

#include "framebridge/protocol/stream_state.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace framebridge::protocol {

constexpr std::uint32_t PROTOCOL_VERSION = 5;
constexpr std::uint32_t HELLO_MAGIC = 0x50524246;  // the bytes "FBRP"
constexpr std::size_t HEADER_BYTES = 8;
constexpr std::size_t MAX_BODY_BYTES = 1024;
/// STREAMS alone may be longer: one entry per stream.
constexpr std::size_t MAX_STREAMS_BODY_BYTES = 65536;
constexpr std::size_t MAX_NAME_BYTES = 64;
constexpr std::size_t MAX_TOKEN_BYTES = 256;
/// The grant cells of a segment (the segment layout's GRANT_CELLS): CELL names one of them.
constexpr std::uint32_t MAX_GRANT_CELLS = 64;
/// RESULT's limits (docs/wire-protocol.md, "Results"); RESULT_FROM adds its sender to a RESULT.
constexpr std::size_t MAX_RESULT_BODY_BYTES = 65536;
constexpr std::size_t MAX_RESULT_FROM_BODY_BYTES = MAX_RESULT_BODY_BYTES + 24 + MAX_NAME_BYTES;
constexpr std::uint32_t MAX_RESULT_BOXES = 1024;
constexpr std::uint32_t MAX_RESULT_POINTS = 4096;
constexpr std::uint32_t MAX_RESULT_POLYLINES = 256;
constexpr std::uint32_t MAX_RESULT_POLYLINE_POINTS = 4096;  ///< in all the polylines together
constexpr std::size_t MAX_RESULT_LABEL_BYTES = 64;
constexpr std::size_t MAX_RESULT_TEXT_BYTES = 1024;

enum class MessageType : std::uint16_t {
    Hello = 1,
    Welcome = 2,
    Error = 3,
    Request = 4,
    Frame = 5,
    Release = 6,
    Stream = 7,
    Segment = 8,
    List = 9,
    Streams = 10,
    Publish = 11,
    Publishing = 12,
    Write = 13,
    Slot = 14,
    Done = 15,
    Cancel = 16,
    Result = 17,
    Watch = 18,
    ResultFrom = 19,
    Spin = 20,
    Cell = 21,
};

enum class ErrorCode : std::uint32_t {
    BadMessage = 1,
    VersionMismatch = 2,
    LeaseLimit = 3,
    AccessDenied = 4,
    StreamNotFound = 5,
    StreamExists = 6,
};

/// @brief Which side sent the bytes being parsed; each side sends its own message types.
enum class Sender { Client, Server };

/// @brief Bytes from the network broke the protocol; what() says how, with the value.
class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct MessageHeader {
    std::uint32_t body_size = 0;
    MessageType type = MessageType::Hello;
};

struct Hello {
    std::uint32_t magic = HELLO_MAGIC;
    std::uint32_t protocol_version = PROTOCOL_VERSION;
    std::uint32_t client_pid = 0;
    std::string name;
    std::string token;   ///< empty when the client has none
    std::string stream;  ///< the stream to read; empty for the server's first stream
};

/// @brief The segment a client maps, as WELCOME and SEGMENT both describe it.
struct SegmentDescription {
    std::uint32_t layout_version = 0;
    std::uint64_t segment_size = 0;
    std::uint64_t session_id = 0;
    std::uint32_t slot_count = 0;
    std::uint32_t max_leases = 0;
    /// The name to map, as the platform spells it ("NAME" on Linux, "Local\\NAME@1" on
    /// Windows): checked by the mapping, by that platform's rule, not by the protocol.
    std::string segment_name;
};

/// @brief The answer to HELLO: the segment, and who the client is.
struct Welcome : SegmentDescription {
    std::uint32_t protocol_version = PROTOCOL_VERSION;
    std::uint32_t client_id = 0;
    std::string stream;  ///< the stream this connection reads
};

/// @brief A new segment generation: the client maps it and takes its frames from there on.
struct SegmentMessage : SegmentDescription {};

struct ErrorMessage {
    ErrorCode code = ErrorCode::BadMessage;
    std::string text;
};

struct StreamMessage {
    StreamState state = StreamState::Live;
    std::string text;
};

struct Request {
    std::uint64_t after_seq = 0;
};

struct FrameMessage {
    std::uint32_t slot = 0;
    std::uint32_t pixel_format = 0;
    std::uint64_t seq = 0;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t stride = 0;
    std::uint64_t payload_size = 0;
    std::uint64_t capture_ns = 0;
    std::uint64_t publish_ns = 0;
    std::uint64_t source_seq = 0;  ///< the frame of another stream this one was made from, or 0
};

struct Release {
    std::uint32_t slot = 0;
    std::uint64_t seq = 0;
    std::uint64_t receive_ns = 0;
    std::uint64_t done_ns = 0;
};

/// @brief LIST: "which streams do you have?"; no body.
struct List {};

/// @brief Who fills a stream, as STREAMS tells it.
enum class Producer : std::uint32_t {
    Capture = 1,  ///< a capture source of the server's
    Client = 2,   ///< a client that publishes
};

/// @brief One stream in STREAMS.
struct StreamEntry {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t pixel_format = 0;
    Producer producer = Producer::Capture;
    std::uint32_t fps_milli = 0;  ///< frames per second x 1000, 0 when unknown
    std::uint32_t clients = 0;
    std::uint64_t newest_seq = 0;
    std::string name;
};

/// @brief The answer to LIST: the server's streams in the order they were made.
struct StreamsMessage {
    std::vector<StreamEntry> streams;
};

/// @brief PUBLISH: "make a stream that I fill". Values are the client's, checked by the server.
struct Publish {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t pixel_format = 0;
    std::uint32_t fps_milli = 0;
    std::uint32_t slot_count = 0;  ///< 0 for the server's default
    std::string name;
};

/// @brief The answer to PUBLISH: the segment the publisher maps writable (SEGMENT's body).
struct Publishing : SegmentDescription {};

/// @brief WRITE: "lend me a slot to write the next frame into"; no body.
struct Write {};

/// @brief The answer to WRITE: the slot lent.
struct SlotMessage {
    std::uint32_t slot = 0;
};

/// @brief DONE: the lent slot holds a whole frame; the server publishes it.
struct Done {
    std::uint32_t slot = 0;
    std::uint64_t source_seq = 0;  ///< the frame of another stream this one was made from, or 0
    std::uint64_t capture_ns = 0;  ///< that frame's capture time; 0 for now
};

/// @brief CANCEL: the lent slot goes back unpublished.
struct Cancel {
    std::uint32_t slot = 0;
};

/// @brief SPIN: "I wait for frames by spinning on shared memory: lend me a grant cell"; no body.
struct Spin {};

/// @brief The answer to SPIN: the grant cell lent to this connection, or NO_CELL.
struct CellMessage {
    static constexpr std::uint32_t NO_CELL = 0xFFFFFFFF;
    std::uint32_t cell = NO_CELL;
};

/// @brief A box in a frame's own pixels: top-left corner, width and height (not negative).
struct Box {
    std::int32_t x = 0;
    std::int32_t y = 0;
    std::int32_t w = 0;
    std::int32_t h = 0;
};

/// @brief A point in a frame's own pixels, x to the right and y down from its top-left corner.
struct Point {
    std::int32_t x = 0;
    std::int32_t y = 0;
};

/// @brief RESULT: what a client found in frame `seq` of the stream its connection reads.
struct Result {
    std::uint64_t seq = 0;
    std::uint64_t capture_ns = 0;  ///< that frame's capture time, 0 when not known
    std::uint64_t sent_ns = 0;     ///< when the client sent it, on the same clock
    std::vector<Box> boxes;
    std::vector<std::string> labels;  ///< none, or one per box
    std::vector<float> scores;        ///< none, or one per box; finite
    std::vector<Point> points;
    std::vector<std::vector<Point>> polylines;
    std::string text;  ///< one line
};

/// @brief WATCH: start (true) or stop getting the results sent on this connection's stream.
struct Watch {
    bool watch = true;
};

/// @brief RESULT_FROM: a result a client sent on this connection's stream.
struct ResultFrom {
    std::uint32_t sender_id = 0;    ///< the sender's client_id
    std::uint32_t skipped = 0;      ///< results not sent to this client since the last one
    std::uint64_t received_ns = 0;  ///< when the server read the RESULT
    std::string sender_name;
    Result result;
};

using Bytes = std::vector<std::uint8_t>;

/// @brief Checks the 8 header bytes `from` sent: a type that side sends and a body size that
/// type allows. Throws ProtocolError.
MessageHeader parse_header(const std::uint8_t* bytes, Sender from);

/// @brief A HELLO of another protocol version is returned with only magic and version read,
/// so the server can answer it with VersionMismatch rather than a parse error.
Hello parse_hello(const Bytes& body);
Welcome parse_welcome(const Bytes& body);
ErrorMessage parse_error(const Bytes& body);
StreamMessage parse_stream(const Bytes& body);
SegmentMessage parse_segment(const Bytes& body);
Request parse_request(const Bytes& body);
FrameMessage parse_frame(const Bytes& body);
Release parse_release(const Bytes& body);
StreamsMessage parse_streams(const Bytes& body);
Publish parse_publish(const Bytes& body);
Publishing parse_publishing(const Bytes& body);
SlotMessage parse_slot(const Bytes& body);
Done parse_done(const Bytes& body);
Cancel parse_cancel(const Bytes& body);
/// @brief Checks every rule of docs/wire-protocol.md's RESULT; the ProtocolError names the field
/// and its value.
Result parse_result(const Bytes& body);
Watch parse_watch(const Bytes& body);
ResultFrom parse_result_from(const Bytes& body);
/// @brief A cell past the segment's grant cells is a ProtocolError.
CellMessage parse_cell(const Bytes& body);

/// @brief Whole messages, header included, ready to send.
Bytes encode(const Hello& message);
Bytes encode(const Welcome& message);
Bytes encode(const ErrorMessage& message);
Bytes encode(const StreamMessage& message);
Bytes encode(const SegmentMessage& message);
Bytes encode(const Request& message);
Bytes encode(const FrameMessage& message);
Bytes encode(const Release& message);
Bytes encode(const List& message);
/// @brief Entries past MAX_STREAMS_BODY_BYTES are left out; the count says how many went.
Bytes encode(const StreamsMessage& message);
Bytes encode(const Publish& message);
Bytes encode(const Publishing& message);
Bytes encode(const Write& message);
Bytes encode(const SlotMessage& message);
Bytes encode(const Done& message);
Bytes encode(const Cancel& message);
/// @brief The three result messages throw std::invalid_argument, with parse_result's text, for
/// what a receiver would refuse.
Bytes encode(const Result& message);
Bytes encode(const Watch& message);
Bytes encode(const ResultFrom& message);
Bytes encode(const Spin& message);
Bytes encode(const CellMessage& message);

/// @brief Where RESULT_FROM's `skipped` sits in the whole message: a server relaying one result
/// to many watchers encodes it once and gives each watcher its own count there.
constexpr std::size_t RESULT_FROM_SKIPPED_OFFSET = HEADER_BYTES + 4;

/// @brief RESULT_FROM, `skipped` 0, around the body of a RESULT that parse_result accepted:
/// relayed as it was read, not encoded again. Throws std::invalid_argument for a sender name or
/// body over its limit.
Bytes encode_result_from(std::uint32_t sender_id, std::uint64_t received_ns,
                         const std::string& sender_name, const Bytes& result_body);

}  // namespace framebridge::protocol
