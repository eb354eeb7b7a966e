// RESULT, WATCH and RESULT_FROM: what a client found in a frame, back to whoever watches.

#include "framebridge/protocol/messages.hpp"

#include "body_codec.hpp"
#include "result_rules.hpp"

#include <cstring>

namespace framebridge::protocol {
using namespace detail;
namespace {

void refuse_to_read(const std::string& problem) {
    if (!problem.empty()) {
        throw ProtocolError(problem);
    }
}

void refuse_to_send(const std::string& problem) {
    if (!problem.empty()) {
        throw std::invalid_argument(problem);
    }
}

std::int32_t read_i32(ByteReader& r) {
    return static_cast<std::int32_t>(r.u32());
}

void write_i32(ByteWriter& w, std::int32_t value) {
    w.u32(static_cast<std::uint32_t>(value));
}

Point read_point(ByteReader& r) {
    Point p;
    p.x = read_i32(r);
    p.y = read_i32(r);
    return p;
}

void write_point(ByteWriter& w, const Point& p) {
    write_i32(w, p.x);
    write_i32(w, p.y);
}

float read_f32(ByteReader& r) {
    const std::uint32_t bits = r.u32();
    float value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

void write_f32(ByteWriter& w, float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    w.u32(bits);
}

// Every count is checked against its limit before anything is read or reserved, so a body that
// claims more than it holds costs nothing but the error.
Result read_result(ByteReader& r) {
    Result m;
    m.seq = r.u64();
    m.capture_ns = r.u64();
    m.sent_ns = r.u64();
    ResultCounts c;
    c.boxes = r.u32();
    c.labels = r.u32();
    c.scores = r.u32();
    c.points = r.u32();
    c.polylines = r.u32();
    c.text_bytes = r.u32();
    refuse_to_read(counts_problem(c));
    m.boxes.reserve(c.boxes);
    for (std::size_t i = 0; i < c.boxes; ++i) {
        Box b;
        b.x = read_i32(r);
        b.y = read_i32(r);
        b.w = read_i32(r);
        b.h = read_i32(r);
        refuse_to_read(box_problem(i, b));
        m.boxes.push_back(b);
    }
    m.scores.reserve(c.scores);
    for (std::size_t i = 0; i < c.scores; ++i) {
        m.scores.push_back(read_f32(r));
        refuse_to_read(score_problem(i, m.scores.back()));
    }
    m.points.reserve(c.points);
    for (std::size_t i = 0; i < c.points; ++i) {
        m.points.push_back(read_point(r));
    }
    std::vector<std::size_t> sizes;
    std::size_t polyline_points = 0;
    for (std::size_t i = 0; i < c.polylines; ++i) {
        sizes.push_back(r.u32());
        refuse_to_read(polyline_problem(i, sizes.back(), polyline_points));
        polyline_points += sizes.back();
    }
    m.polylines.reserve(c.polylines);
    for (const std::size_t size : sizes) {
        std::vector<Point>& polyline = m.polylines.emplace_back();
        polyline.reserve(size);
        for (std::size_t i = 0; i < size; ++i) {
            polyline.push_back(read_point(r));
        }
    }
    m.labels.reserve(c.labels);
    for (std::size_t i = 0; i < c.labels; ++i) {
        m.labels.push_back(r.bytes(r.u8()));
        refuse_to_read(label_problem(i, m.labels.back()));
    }
    if (c.text_bytes != r.remaining()) {
        throw ProtocolError("RESULT text_size " + std::to_string(c.text_bytes) +
                            " does not match the " + std::to_string(r.remaining()) +
                            " bytes left in the message");
    }
    m.text = r.bytes(c.text_bytes);
    refuse_to_read(text_problem(m.text));
    return m;
}

void write_result(ByteWriter& w, const Result& m) {
    w.u64(m.seq);
    w.u64(m.capture_ns);
    w.u64(m.sent_ns);
    for (const std::size_t count : {m.boxes.size(), m.labels.size(), m.scores.size(),
                                    m.points.size(), m.polylines.size(), m.text.size()}) {
        w.u32(static_cast<std::uint32_t>(count));
    }
    for (const Box& b : m.boxes) {
        write_i32(w, b.x);
        write_i32(w, b.y);
        write_i32(w, b.w);
        write_i32(w, b.h);
    }
    for (const float score : m.scores) {
        write_f32(w, score);
    }
    for (const Point& p : m.points) {
        write_point(w, p);
    }
    for (const auto& polyline : m.polylines) {
        w.u32(static_cast<std::uint32_t>(polyline.size()));
    }
    for (const auto& polyline : m.polylines) {
        for (const Point& p : polyline) {
            write_point(w, p);
        }
    }
    for (const std::string& label : m.labels) {
        w.u8(static_cast<std::uint8_t>(label.size()));
        w.bytes(label);
    }
    w.bytes(m.text);
}

// The header is written first and its size filled in last, so a body is never copied into a
// message.
Bytes start_message(MessageType type) {
    Bytes out;
    ByteWriter w(out);
    w.u32(0);
    w.u16(static_cast<std::uint16_t>(type));
    w.u16(0);
    return out;
}

Bytes finish_message(Bytes out) {
    const auto body_size = static_cast<std::uint32_t>(out.size() - HEADER_BYTES);
    for (std::size_t i = 0; i < 4; ++i) {
        out[i] = static_cast<std::uint8_t>(body_size >> (8 * i));
    }
    return out;
}

void write_result_from_fixed(ByteWriter& w, std::uint32_t sender_id, std::uint32_t skipped,
                             std::uint64_t received_ns, const std::string& sender_name,
                             std::size_t result_size) {
    w.u32(sender_id);
    w.u32(skipped);
    w.u64(received_ns);
    w.u32(static_cast<std::uint32_t>(sender_name.size()));
    w.u32(static_cast<std::uint32_t>(result_size));
    w.bytes(sender_name);
}

std::string sender_name_problem(const std::string& name) {
    if (name.size() > MAX_NAME_BYTES) {
        return "RESULT_FROM sender name of " + std::to_string(name.size()) +
               " bytes is over the limit of " + std::to_string(MAX_NAME_BYTES);
    }
    try {
        checked_text(name, "RESULT_FROM sender name");
    } catch (const ProtocolError& e) {
        return e.what();
    }
    return {};
}

}  // namespace

Result parse_result(const Bytes& body) {
    if (body.size() > MAX_RESULT_BODY_BYTES) {
        throw ProtocolError("RESULT body of " + std::to_string(body.size()) +
                            " bytes is over the limit of " + std::to_string(MAX_RESULT_BODY_BYTES));
    }
    return parse_body(body, "RESULT", read_result);
}

Watch parse_watch(const Bytes& body) {
    return parse_body(body, "WATCH", [](ByteReader& r) {
        const std::uint32_t watch = r.u32();
        if (watch > 1) {
            throw ProtocolError("WATCH watch " + std::to_string(watch) +
                                " is neither 0 (stop) nor 1 (start)");
        }
        return Watch{watch == 1};
    });
}

ResultFrom parse_result_from(const Bytes& body) {
    return parse_body(body, "RESULT_FROM", [](ByteReader& r) {
        ResultFrom m;
        m.sender_id = r.u32();
        m.skipped = r.u32();
        m.received_ns = r.u64();
        const std::uint32_t name_size = r.u32();
        const std::uint32_t result_size = r.u32();
        if (name_size > MAX_NAME_BYTES || result_size > MAX_RESULT_BODY_BYTES ||
            std::uint64_t{name_size} + result_size != r.remaining()) {
            throw ProtocolError("RESULT_FROM name size " + std::to_string(name_size) +
                                " and result size " + std::to_string(result_size) +
                                " do not match the " + std::to_string(r.remaining()) +
                                " bytes left (limits " + std::to_string(MAX_NAME_BYTES) + " and " +
                                std::to_string(MAX_RESULT_BODY_BYTES) + ")");
        }
        m.sender_name = checked_text(r.bytes(name_size), "RESULT_FROM sender name");
        m.result = read_result(r);
        return m;
    });
}

Bytes encode(const Result& m) {
    refuse_to_send(result_problem(m));
    Bytes out = start_message(MessageType::Result);
    ByteWriter w(out);
    write_result(w, m);
    return finish_message(std::move(out));
}

Bytes encode(const Watch& m) {
    Bytes out = start_message(MessageType::Watch);
    ByteWriter w(out);
    w.u32(m.watch ? 1 : 0);
    return finish_message(std::move(out));
}

Bytes encode(const ResultFrom& m) {
    refuse_to_send(sender_name_problem(m.sender_name));
    refuse_to_send(result_problem(m.result));
    Bytes result;
    ByteWriter result_writer(result);
    write_result(result_writer, m.result);
    Bytes out = start_message(MessageType::ResultFrom);
    ByteWriter w(out);
    write_result_from_fixed(w, m.sender_id, m.skipped, m.received_ns, m.sender_name, result.size());
    out.insert(out.end(), result.begin(), result.end());
    return finish_message(std::move(out));
}

Bytes encode_result_from(std::uint32_t sender_id, std::uint64_t received_ns,
                         const std::string& sender_name, const Bytes& result_body) {
    refuse_to_send(sender_name_problem(sender_name));
    if (result_body.size() > MAX_RESULT_BODY_BYTES) {
        throw std::invalid_argument("RESULT body of " + std::to_string(result_body.size()) +
                                    " bytes is over the limit of " +
                                    std::to_string(MAX_RESULT_BODY_BYTES));
    }
    Bytes out = start_message(MessageType::ResultFrom);
    out.reserve(HEADER_BYTES + RESULT_FROM_FIXED + sender_name.size() + result_body.size());
    ByteWriter w(out);
    write_result_from_fixed(w, sender_id, 0, received_ns, sender_name, result_body.size());
    out.insert(out.end(), result_body.begin(), result_body.end());
    return finish_message(std::move(out));
}

}  // namespace framebridge::protocol
