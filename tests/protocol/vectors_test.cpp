// The wire vectors (tests/vectors/wire.json), which the Python SDK's test_vectors.py checks too:
// C++ must encode every message to exactly the vector's bytes and decode them to its fields.

#include "framebridge/protocol/messages.hpp"

#include "support/test_vectors.hpp"

#include <gtest/gtest.h>
#include <charconv>
#include <functional>
#include <set>

using namespace framebridge::protocol;
using framebridge::test::field_number;
using framebridge::test::read_vectors;
using framebridge::test::vector_bytes;
using framebridge::test::vector_fields;
using framebridge::test::VectorFields;

namespace {

std::uint32_t u32(const VectorFields& f, const std::string& name) {
    return static_cast<std::uint32_t>(field_number(f, name));
}

template <typename Number>
std::string text(Number value) {
    return std::to_string(static_cast<std::uint64_t>(value));
}

void set_description(SegmentDescription& d, const VectorFields& f) {
    d.layout_version = u32(f, "layout_version");
    d.segment_size = field_number(f, "segment_size");
    d.session_id = field_number(f, "session_id");
    d.slot_count = u32(f, "slot_count");
    d.max_leases = u32(f, "max_leases");
    d.segment_name = f.at("segment_name");
}

VectorFields description_fields(const SegmentDescription& d) {
    return {{"layout_version", text(d.layout_version)}, {"segment_size", text(d.segment_size)},
            {"session_id", text(d.session_id)},         {"slot_count", text(d.slot_count)},
            {"max_leases", text(d.max_leases)},         {"segment_name", d.segment_name}};
}

StreamsMessage streams_of(const VectorFields& f) {
    StreamsMessage m;
    for (std::size_t i = 0; f.count("streams." + std::to_string(i) + ".name") != 0; ++i) {
        const std::string at = "streams." + std::to_string(i) + ".";
        m.streams.push_back(
            {u32(f, at + "width"), u32(f, at + "height"), u32(f, at + "pixel_format"),
             static_cast<Producer>(u32(f, at + "producer")), u32(f, at + "fps_milli"),
             u32(f, at + "clients"), field_number(f, at + "newest_seq"), f.at(at + "name")});
    }
    return m;
}

VectorFields fields_of(const StreamsMessage& m) {
    if (m.streams.empty()) {
        return {{"streams", ""}};
    }
    VectorFields f;
    for (std::size_t i = 0; i < m.streams.size(); ++i) {
        const std::string at = "streams." + std::to_string(i) + ".";
        const StreamEntry& e = m.streams[i];
        f[at + "width"] = text(e.width);
        f[at + "height"] = text(e.height);
        f[at + "pixel_format"] = text(e.pixel_format);
        f[at + "producer"] = text(e.producer);
        f[at + "fps_milli"] = text(e.fps_milli);
        f[at + "clients"] = text(e.clients);
        f[at + "newest_seq"] = text(e.newest_seq);
        f[at + "name"] = e.name;
    }
    return f;
}

std::int32_t i32(const VectorFields& f, const std::string& name) {
    return static_cast<std::int32_t>(std::stoll(f.at(name)));
}

// An empty JSON list is one field named as the list; its items are fields `name.0`, or, when
// they are lists themselves, `name.0.0` and on.
bool has_item(const VectorFields& f, const std::string& name, std::size_t index) {
    const std::string key = name + "." + std::to_string(index);
    const auto it = f.lower_bound(key);
    return it != f.end() && (it->first == key || it->first.rfind(key + ".", 0) == 0);
}

std::size_t items(const VectorFields& f, const std::string& name) {
    std::size_t count = 0;
    while (has_item(f, name, count)) {
        ++count;
    }
    return count;
}

std::vector<Point> points_of(const VectorFields& f, const std::string& name) {
    std::vector<Point> points;
    for (std::size_t i = 0; i < items(f, name); ++i) {
        const std::string at = name + "." + std::to_string(i) + ".";
        points.push_back({i32(f, at + "0"), i32(f, at + "1")});
    }
    return points;
}

// Python's json writes a float as its shortest round trip, with ".0" when it is whole.
std::string float_text(float value) {
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, double{value}).ptr;
    std::string out(digits, end);
    if (out.find_first_of(".en") == std::string::npos) {
        out += ".0";
    }
    return out;
}

Result result_of(const VectorFields& f, const std::string& prefix) {
    Result m;
    m.seq = field_number(f, prefix + "seq");
    m.capture_ns = field_number(f, prefix + "capture_ns");
    m.sent_ns = field_number(f, prefix + "sent_ns");
    for (std::size_t i = 0; i < items(f, prefix + "boxes"); ++i) {
        const std::string at = prefix + "boxes." + std::to_string(i) + ".";
        m.boxes.push_back({i32(f, at + "0"), i32(f, at + "1"), i32(f, at + "2"), i32(f, at + "3")});
    }
    for (std::size_t i = 0; i < items(f, prefix + "labels"); ++i) {
        m.labels.push_back(f.at(prefix + "labels." + std::to_string(i)));
    }
    for (std::size_t i = 0; i < items(f, prefix + "scores"); ++i) {
        m.scores.push_back(std::stof(f.at(prefix + "scores." + std::to_string(i))));
    }
    m.points = points_of(f, prefix + "points");
    for (std::size_t i = 0; i < items(f, prefix + "polylines"); ++i) {
        m.polylines.push_back(points_of(f, prefix + "polylines." + std::to_string(i)));
    }
    m.text = f.at(prefix + "text");
    return m;
}

void add_points(VectorFields& f, const std::string& name, const std::vector<Point>& points) {
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::string at = name + "." + std::to_string(i) + ".";
        f[at + "0"] = std::to_string(points[i].x);
        f[at + "1"] = std::to_string(points[i].y);
    }
}

void add_result_fields(VectorFields& f, const std::string& prefix, const Result& m) {
    f[prefix + "seq"] = text(m.seq);
    f[prefix + "capture_ns"] = text(m.capture_ns);
    f[prefix + "sent_ns"] = text(m.sent_ns);
    for (const char* list : {"boxes", "labels", "scores", "points", "polylines"}) {
        f[prefix + list] = "";
    }
    for (std::size_t i = 0; i < m.boxes.size(); ++i) {
        const std::string at = prefix + "boxes." + std::to_string(i) + ".";
        const Box& b = m.boxes[i];
        f[at + "0"] = std::to_string(b.x);
        f[at + "1"] = std::to_string(b.y);
        f[at + "2"] = std::to_string(b.w);
        f[at + "3"] = std::to_string(b.h);
    }
    for (std::size_t i = 0; i < m.labels.size(); ++i) {
        f[prefix + "labels." + std::to_string(i)] = m.labels[i];
    }
    for (std::size_t i = 0; i < m.scores.size(); ++i) {
        f[prefix + "scores." + std::to_string(i)] = float_text(m.scores[i]);
    }
    add_points(f, prefix + "points", m.points);
    for (std::size_t i = 0; i < m.polylines.size(); ++i) {
        add_points(f, prefix + "polylines." + std::to_string(i), m.polylines[i]);
    }
    // A list with items has no field of its own name.
    for (const char* list : {"boxes", "labels", "scores", "points", "polylines"}) {
        if (has_item(f, prefix + list, 0)) {
            f.erase(prefix + list);
        }
    }
    f[prefix + "text"] = m.text;
}

// How one message type goes from a vector's fields to bytes and back.
struct Codec {
    Sender sender;
    MessageType type;
    std::function<Bytes(const VectorFields&)> encode;
    std::function<VectorFields(const Bytes& body)> decode;
};

const std::map<std::string, Codec>& codecs() {
    static const std::map<std::string, Codec> table{
        {"HELLO",
         {Sender::Client, MessageType::Hello,
          [](const VectorFields& f) {
              return encode(Hello{HELLO_MAGIC, u32(f, "protocol_version"), u32(f, "client_pid"),
                                  f.at("name"), f.at("token"), f.at("stream")});
          },
          [](const Bytes& body) {
              const Hello m = parse_hello(body);
              EXPECT_EQ(m.magic, HELLO_MAGIC);
              return VectorFields{{"protocol_version", text(m.protocol_version)},
                                  {"client_pid", text(m.client_pid)},
                                  {"name", m.name},
                                  {"token", m.token},
                                  {"stream", m.stream}};
          }}},
        {"WELCOME",
         {Sender::Server, MessageType::Welcome,
          [](const VectorFields& f) {
              Welcome m;
              set_description(m, f);
              m.protocol_version = u32(f, "protocol_version");
              m.client_id = u32(f, "client_id");
              m.stream = f.at("stream");
              return encode(m);
          },
          [](const Bytes& body) {
              const Welcome m = parse_welcome(body);
              VectorFields f = description_fields(m);
              f["protocol_version"] = text(m.protocol_version);
              f["client_id"] = text(m.client_id);
              f["stream"] = m.stream;
              return f;
          }}},
        {"SEGMENT",
         {Sender::Server, MessageType::Segment,
          [](const VectorFields& f) {
              SegmentMessage m;
              set_description(m, f);
              return encode(m);
          },
          [](const Bytes& body) { return description_fields(parse_segment(body)); }}},
        {"ERROR",
         {Sender::Server, MessageType::Error,
          [](const VectorFields& f) {
              return encode(ErrorMessage{static_cast<ErrorCode>(u32(f, "code")), f.at("text")});
          },
          [](const Bytes& body) {
              const ErrorMessage m = parse_error(body);
              return VectorFields{{"code", text(m.code)}, {"text", m.text}};
          }}},
        {"STREAM",
         {Sender::Server, MessageType::Stream,
          [](const VectorFields& f) {
              return encode(StreamMessage{static_cast<StreamState>(u32(f, "state")), f.at("text")});
          },
          [](const Bytes& body) {
              const StreamMessage m = parse_stream(body);
              return VectorFields{{"state", text(m.state)}, {"text", m.text}};
          }}},
        {"REQUEST",
         {Sender::Client, MessageType::Request,
          [](const VectorFields& f) { return encode(Request{field_number(f, "after_seq")}); },
          [](const Bytes& body) {
              return VectorFields{{"after_seq", text(parse_request(body).after_seq)}};
          }}},
        {"FRAME",
         {Sender::Server, MessageType::Frame,
          [](const VectorFields& f) {
              return encode(
                  FrameMessage{u32(f, "slot"), u32(f, "pixel_format"), field_number(f, "seq"),
                               u32(f, "width"), u32(f, "height"), u32(f, "stride"),
                               field_number(f, "payload_size"), field_number(f, "capture_ns"),
                               field_number(f, "publish_ns"), field_number(f, "source_seq")});
          },
          [](const Bytes& body) {
              const FrameMessage m = parse_frame(body);
              return VectorFields{{"slot", text(m.slot)},
                                  {"pixel_format", text(m.pixel_format)},
                                  {"seq", text(m.seq)},
                                  {"width", text(m.width)},
                                  {"height", text(m.height)},
                                  {"stride", text(m.stride)},
                                  {"payload_size", text(m.payload_size)},
                                  {"capture_ns", text(m.capture_ns)},
                                  {"publish_ns", text(m.publish_ns)},
                                  {"source_seq", text(m.source_seq)}};
          }}},
        {"RELEASE",
         {Sender::Client, MessageType::Release,
          [](const VectorFields& f) {
              return encode(Release{u32(f, "slot"), field_number(f, "seq"),
                                    field_number(f, "receive_ns"), field_number(f, "done_ns")});
          },
          [](const Bytes& body) {
              const Release m = parse_release(body);
              return VectorFields{{"slot", text(m.slot)},
                                  {"seq", text(m.seq)},
                                  {"receive_ns", text(m.receive_ns)},
                                  {"done_ns", text(m.done_ns)}};
          }}},
        {"LIST",
         {Sender::Client, MessageType::List, [](const VectorFields&) { return encode(List{}); },
          [](const Bytes& body) {
              EXPECT_TRUE(body.empty());
              return VectorFields{};
          }}},
        {"STREAMS",
         {Sender::Server, MessageType::Streams,
          [](const VectorFields& f) { return encode(streams_of(f)); },
          [](const Bytes& body) { return fields_of(parse_streams(body)); }}},
        {"PUBLISH",
         {Sender::Client, MessageType::Publish,
          [](const VectorFields& f) {
              return encode(Publish{u32(f, "width"), u32(f, "height"), u32(f, "pixel_format"),
                                    u32(f, "fps_milli"), u32(f, "slot_count"), f.at("name")});
          },
          [](const Bytes& body) {
              const Publish m = parse_publish(body);
              return VectorFields{{"width", text(m.width)},
                                  {"height", text(m.height)},
                                  {"pixel_format", text(m.pixel_format)},
                                  {"fps_milli", text(m.fps_milli)},
                                  {"slot_count", text(m.slot_count)},
                                  {"name", m.name}};
          }}},
        {"PUBLISHING",
         {Sender::Server, MessageType::Publishing,
          [](const VectorFields& f) {
              Publishing m;
              set_description(m, f);
              return encode(m);
          },
          [](const Bytes& body) { return description_fields(parse_publishing(body)); }}},
        {"WRITE",
         {Sender::Client, MessageType::Write, [](const VectorFields&) { return encode(Write{}); },
          [](const Bytes& body) {
              EXPECT_TRUE(body.empty());
              return VectorFields{};
          }}},
        {"SLOT",
         {Sender::Server, MessageType::Slot,
          [](const VectorFields& f) { return encode(SlotMessage{u32(f, "slot")}); },
          [](const Bytes& body) {
              return VectorFields{{"slot", text(parse_slot(body).slot)}};
          }}},
        {"DONE",
         {Sender::Client, MessageType::Done,
          [](const VectorFields& f) {
              return encode(Done{u32(f, "slot"), field_number(f, "source_seq"),
                                 field_number(f, "capture_ns")});
          },
          [](const Bytes& body) {
              const Done m = parse_done(body);
              return VectorFields{{"slot", text(m.slot)},
                                  {"source_seq", text(m.source_seq)},
                                  {"capture_ns", text(m.capture_ns)}};
          }}},
        {"CANCEL",
         {Sender::Client, MessageType::Cancel,
          [](const VectorFields& f) { return encode(Cancel{u32(f, "slot")}); },
          [](const Bytes& body) {
              return VectorFields{{"slot", text(parse_cancel(body).slot)}};
          }}},
        {"RESULT",
         {Sender::Client, MessageType::Result,
          [](const VectorFields& f) { return encode(result_of(f, "")); },
          [](const Bytes& body) {
              VectorFields f;
              add_result_fields(f, "", parse_result(body));
              return f;
          }}},
        {"WATCH",
         {Sender::Client, MessageType::Watch,
          [](const VectorFields& f) { return encode(Watch{u32(f, "watch") == 1}); },
          [](const Bytes& body) {
              return VectorFields{{"watch", parse_watch(body).watch ? "1" : "0"}};
          }}},
        {"SPIN",
         {Sender::Client, MessageType::Spin, [](const VectorFields&) { return encode(Spin{}); },
          [](const Bytes& body) {
              EXPECT_TRUE(body.empty());
              return VectorFields{};
          }}},
        // JSON's null is NO_CELL, as the SDK's None is.
        {"CELL",
         {Sender::Server, MessageType::Cell,
          [](const VectorFields& f) {
              return encode(
                  CellMessage{f.at("cell") == "null" ? CellMessage::NO_CELL : u32(f, "cell")});
          },
          [](const Bytes& body) {
              const CellMessage m = parse_cell(body);
              return VectorFields{{"cell", m.cell == CellMessage::NO_CELL ? "null" : text(m.cell)}};
          }}},
        {"RESULT_FROM",
         {Sender::Server, MessageType::ResultFrom,
          [](const VectorFields& f) {
              return encode(ResultFrom{u32(f, "sender_id"), u32(f, "skipped"),
                                       field_number(f, "received_ns"), f.at("sender_name"),
                                       result_of(f, "result.")});
          },
          [](const Bytes& body) {
              const ResultFrom m = parse_result_from(body);
              VectorFields f{{"sender_id", text(m.sender_id)},
                             {"skipped", text(m.skipped)},
                             {"received_ns", text(m.received_ns)},
                             {"sender_name", m.sender_name}};
              add_result_fields(f, "result.", m.result);
              return f;
          }}},
    };
    return table;
}

const framebridge::test::VectorTree& messages() {
    static const framebridge::test::VectorTree tree = read_vectors("wire.json");
    return tree.get_child("messages");
}

}  // namespace

TEST(ProtocolVectors, thereIsAVectorOfEveryMessageType) {
    std::set<std::string> types;
    for (const auto& [unused, vector] : messages()) {
        types.insert(vector.get<std::string>("type"));
    }
    EXPECT_EQ(types.size(), codecs().size());
    for (const auto& [type, codec] : codecs()) {
        EXPECT_EQ(types.count(type), 1u) << "no vector of " << type;
    }
}

TEST(ProtocolVectors, everyMessageEncodesToItsVectorsBytes) {
    for (const auto& [unused, vector] : messages()) {
        SCOPED_TRACE(vector.get<std::string>("name"));
        const Codec& sut = codecs().at(vector.get<std::string>("type"));
        EXPECT_EQ(sut.encode(vector_fields(vector)), vector_bytes(vector));
    }
}

TEST(ProtocolVectors, everyVectorsBytesDecodeToItsFields) {
    for (const auto& [unused, vector] : messages()) {
        SCOPED_TRACE(vector.get<std::string>("name"));
        const Codec& sut = codecs().at(vector.get<std::string>("type"));
        const Bytes bytes = vector_bytes(vector);
        const MessageHeader header = parse_header(bytes.data(), sut.sender);
        EXPECT_EQ(header.type, sut.type);
        EXPECT_EQ(header.body_size, bytes.size() - HEADER_BYTES);
        EXPECT_EQ(sut.decode(Bytes(bytes.begin() + HEADER_BYTES, bytes.end())),
                  vector_fields(vector));
    }
}

TEST(ProtocolVectors, aRelayedResultIsByteForByteTheResultFromVector) {
    for (const auto& [unused, vector] : messages()) {
        if (vector.get<std::string>("type") != "RESULT_FROM") {
            continue;
        }
        SCOPED_TRACE(vector.get<std::string>("name"));
        const VectorFields f = vector_fields(vector);
        const Bytes expected = vector_bytes(vector);
        // The RESULT body the server read is the tail of RESULT_FROM, after the sender's name.
        const auto result_at =
            static_cast<std::ptrdiff_t>(HEADER_BYTES + 24 + f.at("sender_name").size());
        Bytes sut = encode_result_from(u32(f, "sender_id"), field_number(f, "received_ns"),
                                       f.at("sender_name"),
                                       Bytes(expected.begin() + result_at, expected.end()));
        const std::uint32_t skipped = u32(f, "skipped");
        for (std::size_t i = 0; i < 4; ++i) {
            sut[RESULT_FROM_SKIPPED_OFFSET + i] = static_cast<std::uint8_t>(skipped >> (8 * i));
        }
        EXPECT_EQ(sut, expected);
    }
}
