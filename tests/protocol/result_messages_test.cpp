// RESULT, WATCH and RESULT_FROM: every rule of docs/wire-protocol.md "Results" is refused by the
// parser with a text naming the field and its value, and by the encoders before anything is sent.

#include "framebridge/protocol/byte_codec.hpp"
#include "framebridge/protocol/messages.hpp"

#include <gtest/gtest.h>
#include <cmath>
#include <limits>

using namespace framebridge::protocol;

namespace {

Result faces() {
    Result r;
    r.seq = 41;
    r.capture_ns = 1'000'000'000;
    r.sent_ns = 1'004'500'000;
    r.boxes = {{120, 80, 64, 72}, {900, 400, 50, 50}};
    r.labels = {"face", "visage"};
    r.scores = {0.75f, 0.5f};
    r.points = {{3, 4}};
    r.polylines = {{{0, 0}, {10, 0}}, {{5, 5}}};
    r.text = "2 faces";
    return r;
}

Bytes body_of(const Bytes& message) {
    return Bytes(message.begin() + HEADER_BYTES, message.end());
}

void put_u32(Bytes& body, std::size_t offset, std::uint32_t value) {
    for (std::size_t i = 0; i < 4; ++i) {
        body.at(offset + i) = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

// Offsets in faces()' body: the six counts, then the arrays in the order of the table.
constexpr std::size_t BOX_COUNT_AT = 24;
constexpr std::size_t LABEL_COUNT_AT = 28;
constexpr std::size_t SCORE_COUNT_AT = 32;
constexpr std::size_t POINT_COUNT_AT = 36;
constexpr std::size_t POLYLINE_COUNT_AT = 40;
constexpr std::size_t TEXT_SIZE_AT = 44;
constexpr std::size_t BOXES_AT = 48;
constexpr std::size_t SCORES_AT = BOXES_AT + 2 * 16;

// A body of the six counts followed by `rest`, which need not match them.
Bytes raw_body(std::initializer_list<std::uint32_t> counts, const Bytes& rest) {
    Bytes body;
    ByteWriter w(body);
    w.u64(1);
    w.u64(0);
    w.u64(0);
    for (const std::uint32_t count : counts) {
        w.u32(count);
    }
    body.insert(body.end(), rest.begin(), rest.end());
    return body;
}

std::string parse_error_of(const Bytes& body) {
    try {
        parse_result(body);
    } catch (const ProtocolError& e) {
        return e.what();
    }
    return "accepted";
}

std::string encode_error_of(const Result& result) {
    try {
        encode(result);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(ResultMessages, aResultRoundTripsEveryField) {
    const Result sent = faces();
    const Bytes message = encode(sent);
    const MessageHeader header = parse_header(message.data(), Sender::Client);
    EXPECT_EQ(header.type, MessageType::Result);
    const Result got = parse_result(body_of(message));
    EXPECT_EQ(got.seq, sent.seq);
    EXPECT_EQ(got.capture_ns, sent.capture_ns);
    EXPECT_EQ(got.sent_ns, sent.sent_ns);
    ASSERT_EQ(got.boxes.size(), 2u);
    EXPECT_EQ(got.boxes[1].x, 900);
    EXPECT_EQ(got.boxes[1].h, 50);
    EXPECT_EQ(got.labels, sent.labels);
    EXPECT_EQ(got.scores, sent.scores);
    ASSERT_EQ(got.points.size(), 1u);
    EXPECT_EQ(got.points[0].y, 4);
    ASSERT_EQ(got.polylines.size(), 2u);
    EXPECT_EQ(got.polylines[0].size(), 2u);
    EXPECT_EQ(got.polylines[1][0].x, 5);
    EXPECT_EQ(got.text, sent.text);
}

TEST(ResultMessages, countsOverTheirLimitsAreRefusedWithTheirValues) {
    const Bytes good = body_of(encode(faces()));
    const std::pair<std::size_t, const char*> cases[] = {
        {BOX_COUNT_AT, "RESULT box_count 5000 is over the limit of 1024"},
        {POINT_COUNT_AT, "RESULT point_count 5000 is over the limit of 4096"},
        {POLYLINE_COUNT_AT, "RESULT polyline_count 5000 is over the limit of 256"},
        {TEXT_SIZE_AT, "RESULT text_size 5000 is over the limit of 1024"},
    };
    for (const auto& [offset, expected] : cases) {
        Bytes sut = good;
        put_u32(sut, offset, 5000);
        EXPECT_EQ(parse_error_of(sut), expected);
    }
}

TEST(ResultMessages, labelsAndScoresAreNoneOrOnePerBox) {
    Bytes labels = body_of(encode(faces()));
    put_u32(labels, LABEL_COUNT_AT, 1);
    EXPECT_EQ(parse_error_of(labels), "RESULT label_count 1 is neither 0 nor the box_count 2");
    Bytes scores = body_of(encode(faces()));
    put_u32(scores, SCORE_COUNT_AT, 3);
    EXPECT_EQ(parse_error_of(scores), "RESULT score_count 3 is neither 0 nor the box_count 2");
}

TEST(ResultMessages, aBoxWithANegativeSizeIsRefused) {
    Bytes width = body_of(encode(faces()));
    put_u32(width, BOXES_AT + 8, static_cast<std::uint32_t>(-4));
    EXPECT_EQ(parse_error_of(width), "RESULT box 0 has a negative width -4");
    Bytes height = body_of(encode(faces()));
    put_u32(height, BOXES_AT + 16 + 12, static_cast<std::uint32_t>(-1));
    EXPECT_EQ(parse_error_of(height), "RESULT box 1 has a negative height -1");
}

TEST(ResultMessages, aScoreThatIsNotFiniteIsRefused) {
    Bytes nan = body_of(encode(faces()));
    put_u32(nan, SCORES_AT + 4, 0x7fc00000);
    EXPECT_EQ(parse_error_of(nan), "RESULT score 1 is nan");
    Bytes inf = body_of(encode(faces()));
    put_u32(inf, SCORES_AT, 0xff800000);
    EXPECT_EQ(parse_error_of(inf), "RESULT score 0 is -inf");
}

TEST(ResultMessages, polylinesOfNoPointsOrTooManyAreRefused) {
    Bytes empty;
    ByteWriter(empty).u32(0);
    EXPECT_EQ(parse_error_of(raw_body({0, 0, 0, 0, 1, 0}, empty)),
              "RESULT polyline 0 has 0 points, not 1 to 4096");
    // The sizes alone are refused: no points need follow them.
    Bytes sizes;
    ByteWriter w(sizes);
    w.u32(4000);
    w.u32(97);
    EXPECT_EQ(parse_error_of(raw_body({0, 0, 0, 0, 2, 0}, sizes)),
              "RESULT polylines 0 to 1 have 4097 points, over the limit of 4096 in all");
}

TEST(ResultMessages, aLabelOverItsLimitIsRefused) {
    Bytes rest(16, 0);  // one box at 0,0 of 0x0
    rest.push_back(65);
    rest.insert(rest.end(), 65, 'a');
    EXPECT_EQ(parse_error_of(raw_body({1, 1, 0, 0, 0, 0}, rest)),
              "RESULT label 0 has 65 bytes, over the limit of 64");
}

TEST(ResultMessages, labelsAndTextMustBeUtf8WithoutControlCharacters) {
    Result newline = faces();
    newline.labels[1] = "vis";
    Bytes label = body_of(encode(newline));
    label.at(label.size() - newline.text.size() - 2) = '\n';
    EXPECT_EQ(parse_error_of(label), "RESULT label 1 contains control character 10 at byte 1");

    const std::pair<std::string, const char*> texts[] = {
        {"a\tb", "RESULT text contains control character 9 at byte 1"},
        {"\xc0\x80", "RESULT text is not UTF-8 at byte 0"},          // an overlong NUL
        {"ok\xed\xa0\x80", "RESULT text is not UTF-8 at byte 2"},    // a surrogate
        {"\xf4\x90\x80\x80", "RESULT text is not UTF-8 at byte 0"},  // past U+10FFFF
        {"caf\xc3", "RESULT text is not UTF-8 at byte 3"},           // cut short
    };
    for (const auto& [text, expected] : texts) {
        Bytes body = raw_body({0, 0, 0, 0, 0, static_cast<std::uint32_t>(text.size())},
                              Bytes(text.begin(), text.end()));
        EXPECT_EQ(parse_error_of(body), expected);
    }
}

TEST(ResultMessages, aBodyThatDisagreesWithItsCountsIsRefused) {
    Bytes longer = body_of(encode(faces()));
    longer.push_back('!');
    EXPECT_EQ(parse_error_of(longer),
              "RESULT text_size 7 does not match the 8 bytes left in the message");
    Bytes shorter = body_of(encode(faces()));
    shorter.resize(BOXES_AT + 10);
    EXPECT_NE(parse_error_of(shorter).find("RESULT is cut short"), std::string::npos);
    EXPECT_NE(parse_error_of(Bytes(MAX_RESULT_BODY_BYTES + 1, 0)).find("over the limit of 65536"),
              std::string::npos);
}

TEST(ResultMessages, theEncoderRefusesWhatTheParserWould) {
    Result width = faces();
    width.boxes[0].w = -4;
    EXPECT_EQ(encode_error_of(width), "RESULT box 0 has a negative width -4");
    Result nan = faces();
    nan.scores[1] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_EQ(encode_error_of(nan), "RESULT score 1 is nan");
    Result labels = faces();
    labels.labels.pop_back();
    EXPECT_EQ(encode_error_of(labels), "RESULT label_count 1 is neither 0 nor the box_count 2");
    Result long_label = faces();
    long_label.labels[0] = std::string(65, 'x');
    EXPECT_EQ(encode_error_of(long_label), "RESULT label 0 has 65 bytes, over the limit of 64");
    Result control = faces();
    control.text = "two\nlines";
    EXPECT_EQ(encode_error_of(control), "RESULT text contains control character 10 at byte 3");
    Result empty_polyline = faces();
    empty_polyline.polylines.emplace_back();
    EXPECT_EQ(encode_error_of(empty_polyline), "RESULT polyline 2 has 0 points, not 1 to 4096");
    Result boxes;
    boxes.boxes.resize(MAX_RESULT_BOXES + 1);
    EXPECT_EQ(encode_error_of(boxes), "RESULT box_count 1025 is over the limit of 1024");
}

TEST(ResultMessages, theEncoderRefusesABodyOverItsLimitThoughEachCountIsWithinItsOwn) {
    Result sut;
    sut.boxes.resize(MAX_RESULT_BOXES);
    sut.labels.assign(MAX_RESULT_BOXES, std::string(MAX_RESULT_LABEL_BYTES, 'l'));
    EXPECT_EQ(encode_error_of(sut), "RESULT body of 82992 bytes is over the limit of 65536");
}

TEST(ResultMessages, watchIsZeroOrOne) {
    EXPECT_TRUE(parse_watch(body_of(encode(Watch{true}))).watch);
    EXPECT_FALSE(parse_watch(body_of(encode(Watch{false}))).watch);
    Bytes two = body_of(encode(Watch{true}));
    put_u32(two, 0, 2);
    EXPECT_THROW(
        {
            try {
                parse_watch(two);
            } catch (const ProtocolError& e) {
                EXPECT_STREQ(e.what(), "WATCH watch 2 is neither 0 (stop) nor 1 (start)");
                throw;
            }
        },
        ProtocolError);
}

TEST(ResultMessages, aResultFromRoundTripsAndChecksTheResultItCarries) {
    const ResultFrom sent{7, 3, 1'003'000'000, "faces", faces()};
    const Bytes message = encode(sent);
    EXPECT_EQ(parse_header(message.data(), Sender::Server).type, MessageType::ResultFrom);
    const ResultFrom got = parse_result_from(body_of(message));
    EXPECT_EQ(got.sender_id, 7u);
    EXPECT_EQ(got.skipped, 3u);
    EXPECT_EQ(got.received_ns, 1'003'000'000u);
    EXPECT_EQ(got.sender_name, "faces");
    EXPECT_EQ(got.result.labels, sent.result.labels);

    Bytes bad_box = body_of(message);
    put_u32(bad_box, 24 + 5 + BOXES_AT + 8, static_cast<std::uint32_t>(-4));
    EXPECT_THROW(parse_result_from(bad_box), ProtocolError);
    Bytes bad_size = body_of(message);
    put_u32(bad_size, 20, 1);
    EXPECT_THROW(parse_result_from(bad_size), ProtocolError);
    EXPECT_THROW(encode(ResultFrom{1, 0, 0, std::string(65, 'n'), faces()}), std::invalid_argument);
}

TEST(ResultMessages, aRelayedResultIsTheResultFromItsFieldsWouldBe) {
    const Bytes result = encode(faces());
    const Bytes sut = encode_result_from(7, 99, "faces", body_of(result));
    EXPECT_EQ(sut, encode(ResultFrom{7, 0, 99, "faces", faces()}));
    Bytes skipped = sut;
    put_u32(skipped, RESULT_FROM_SKIPPED_OFFSET, 5);
    EXPECT_EQ(parse_result_from(body_of(skipped)).skipped, 5u);
}

TEST(ResultMessagesHeader, eachSideSendsItsOwnResultMessagesWithinTheirLimits) {
    const auto header = [](std::uint32_t body_size, MessageType type) {
        Bytes out;
        ByteWriter w(out);
        w.u32(body_size);
        w.u16(static_cast<std::uint16_t>(type));
        w.u16(0);
        return out;
    };
    EXPECT_NO_THROW(parse_header(header(65536, MessageType::Result).data(), Sender::Client));
    EXPECT_THROW(parse_header(header(65537, MessageType::Result).data(), Sender::Client),
                 ProtocolError);
    EXPECT_THROW(parse_header(header(47, MessageType::Result).data(), Sender::Client),
                 ProtocolError);
    EXPECT_THROW(parse_header(header(48, MessageType::Result).data(), Sender::Server),
                 ProtocolError);
    EXPECT_THROW(parse_header(header(5, MessageType::Watch).data(), Sender::Client), ProtocolError);
    EXPECT_THROW(parse_header(header(4, MessageType::Watch).data(), Sender::Server), ProtocolError);
    EXPECT_NO_THROW(parse_header(
        header(static_cast<std::uint32_t>(MAX_RESULT_FROM_BODY_BYTES), MessageType::ResultFrom)
            .data(),
        Sender::Server));
    EXPECT_THROW(parse_header(header(static_cast<std::uint32_t>(MAX_RESULT_FROM_BODY_BYTES + 1),
                                     MessageType::ResultFrom)
                                  .data(),
                              Sender::Server),
                 ProtocolError);
    EXPECT_THROW(parse_header(header(72, MessageType::ResultFrom).data(), Sender::Client),
                 ProtocolError);
}
