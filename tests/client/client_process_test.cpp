// framebridge::Client, its examples and its C ABI against framebridge-server processes: a server
// killed with SIGKILL, a new one in its place, a server of two streams, and programs that print
// frames.

#include "framebridge/client/client.hpp"
#include "framebridge/client/streams.hpp"

#include "support/server_process.hpp"
#include "support/stamps.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <regex>

using namespace framebridge;
using framebridge::test::ServerProcess;
using namespace std::chrono_literals;

namespace {

ConnectOptions options_for(const ServerProcess& server, bool reconnect) {
    ConnectOptions options;
    options.port = server.port();
    options.name = "client_process_test";
    options.reconnect = reconnect;
    return options;
}

// Names for a server of two streams, the first its first.
std::vector<std::string> two_stream_names() {
    return {test::unique_stream_name(), test::unique_stream_name()};
}

// Lines such as "42 320x240 BGR8 0.21 ms" (C++) or "42 320x240 0.21 ms" (C).
int frame_lines(const std::string& output) {
    static const std::regex LINE(R"(^\d+ 320x240 (BGR8 )?\d+\.\d\d ms$)");
    int count = 0;
    std::size_t start = 0;
    while (start < output.size()) {
        const std::size_t end = output.find('\n', start);
        const std::string line = output.substr(start, end - start);
        count += std::regex_match(line, LINE) ? 1 : 0;
        start = end == std::string::npos ? output.size() : end + 1;
    }
    return count;
}

}  // namespace

TEST(ClientProcess, aKilledServerIsServerGoneAndHeldFramesStayReadable) {
    ServerProcess server(test::unique_stream_name(), test::free_port());
    Client sut(options_for(server, false));
    const Frame held = sut.latest(5s);

    server.stop(SIGKILL);

    EXPECT_THROW(sut.latest(5s), ServerGone);
    EXPECT_THROW(sut.latest(5s), ServerGone);  // and stays so
    EXPECT_EQ(test::stamp_problem(held), "");
}

TEST(ClientProcess, withReconnectANewServerInTheSamePlaceTakesOver) {
    const std::string name = test::unique_stream_name();
    const std::uint16_t port = test::free_port();
    auto server = std::make_unique<ServerProcess>(name, port);
    Client sut(options_for(*server, true));
    const std::uint64_t first_session = sut.session_id();
    Frame before = sut.latest(5s);

    server->stop(SIGKILL);
    EXPECT_THROW(sut.latest(200ms), Timeout);  // nobody there yet; the next call goes on trying
    server.reset();                            // its segment goes; the client's mapping of it stays
    server = std::make_unique<ServerProcess>(name, port);
    const Frame after = sut.latest(10s);

    EXPECT_EQ(sut.reconnects(), 1u);
    EXPECT_NE(sut.session_id(), first_session);
    EXPECT_EQ(test::stamp_problem(after), "");
    EXPECT_EQ(test::stamp_problem(before), "");
    before.release();  // a lease of the lost server: nothing to send
    EXPECT_GT(sut.latest(5s).seq(), after.seq());
}

TEST(ClientProcess, withReconnectTheNewServerIsAskedForTheStreamTheFirstOneChose) {
    const std::vector<std::string> names = two_stream_names();
    const std::uint16_t port = test::free_port();
    auto server = std::make_unique<ServerProcess>(names, port);
    Client sut(options_for(*server, true));
    ASSERT_EQ(sut.stream(), names[0]);
    sut.latest(5s).release();

    server->stop(SIGKILL);
    server.reset();
    server = std::make_unique<ServerProcess>(std::vector<std::string>{names[1], names[0]}, port);
    const Frame after = sut.latest(10s);

    EXPECT_EQ(sut.reconnects(), 1u);
    EXPECT_EQ(sut.stream(), names[0]);
    EXPECT_EQ(sut.segment_name(), names[0]);
    EXPECT_EQ(test::stamp_problem(after), "");
}

TEST(ClientProcess, withReconnectANewServerWithoutTheStreamIsWaitedOutAndSaidSo) {
    const std::vector<std::string> names = two_stream_names();
    const std::uint16_t port = test::free_port();
    auto server = std::make_unique<ServerProcess>(names, port);
    ConnectOptions options = options_for(*server, true);
    options.stream = names[1];
    Client sut(options);
    sut.latest(5s).release();

    server->stop(SIGKILL);
    server.reset();
    server = std::make_unique<ServerProcess>(std::vector<std::string>{names[0]}, port);
    try {
        sut.latest(1s);
        FAIL() << "a frame came from a server without stream " << names[1];
    } catch (const Timeout& e) {
        EXPECT_NE(std::string(e.what()).find("not with stream '" + names[1] + "'"),
                  std::string::npos)
            << e.what();
    }
    server.reset();
    server = std::make_unique<ServerProcess>(names, port);

    EXPECT_EQ(test::stamp_problem(sut.latest(10s)), "");
    EXPECT_EQ(sut.stream(), names[1]);
}

TEST(ClientProcess, eachStreamOfAServerIsReadByItsNameAndNoneNamedIsTheFirst) {
    const std::vector<std::string> names = two_stream_names();
    ServerProcess server(names, test::free_port());
    ConnectOptions options = options_for(server, false);
    options.stream = names[1];

    Client second(options);
    Client first(options_for(server, false));
    const Frame from_second = second.latest(5s);
    const Frame from_first = first.latest(5s);

    EXPECT_EQ(second.stream(), names[1]);
    EXPECT_EQ(second.segment_name(), names[1]);
    EXPECT_EQ(first.stream(), names[0]);
    EXPECT_EQ(test::stamp_problem(from_second), "");
    EXPECT_EQ(test::stamp_problem(from_first), "");
    EXPECT_EQ(from_second.source_seq(), 0u);
}

TEST(ClientProcess, aStreamTheServerDoesNotHaveIsStreamNotFoundNamingTheOnesItHas) {
    const std::vector<std::string> names = two_stream_names();
    ServerProcess server(names, test::free_port());
    ConnectOptions options = options_for(server, false);
    options.stream = "no-such-stream";

    try {
        Client sut(options);
        FAIL() << "connected to stream " << sut.stream();
    } catch (const StreamNotFound& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("no-such-stream"), std::string::npos) << what;
        EXPECT_NE(what.find(names[0] + ", " + names[1]), std::string::npos) << what;
        EXPECT_EQ(e.names(), names);
    }
}

TEST(ClientProcess, listStreamsTellsEveryStreamFirstFirst) {
    const std::vector<std::string> names = two_stream_names();
    ServerProcess server(names, test::free_port());
    ConnectOptions reader_options = options_for(server, false);
    reader_options.stream = names[1];
    Client reader(reader_options);
    const std::uint64_t seen = reader.latest(5s).seq();

    const std::vector<StreamInfo> sut = list_streams(options_for(server, false));

    ASSERT_EQ(sut.size(), 2u);
    EXPECT_EQ(sut[0].name, names[0]);
    EXPECT_EQ(sut[1].name, names[1]);
    for (const StreamInfo& stream : sut) {
        EXPECT_EQ(stream.width, 320u);
        EXPECT_EQ(stream.height, 240u);
        EXPECT_EQ(stream.format, PixelFormat::Bgr8);
        EXPECT_EQ(stream.producer, Producer::Capture);
        EXPECT_DOUBLE_EQ(stream.fps, 100.0);
    }
    EXPECT_EQ(sut[1].clients, 1u);
    EXPECT_GE(sut[1].newest_seq, seen);
}

TEST(ClientProcess, theCppExamplePrintsFramesOfTheStreamNamedWithTheirLatency) {
    const std::vector<std::string> names = two_stream_names();
    ServerProcess server(names, test::free_port());

    const auto [output, status] =
        test::run_command(std::string(FRAMEBRIDGE_EXAMPLE_CPP) + " " +
                          std::to_string(server.port()) + " 5 " + names[1]);

    EXPECT_EQ(status, 0);
    EXPECT_EQ(output.rfind("stream " + names[1] + "\n", 0), 0u) << output;
    EXPECT_EQ(frame_lines(output), 5) << output;
}

TEST(ClientProcess, theBenchmarksProbeReadsTheStreamNamedAndChecksItsStamps) {
    const std::vector<std::string> names = two_stream_names();
    ServerProcess server(names, test::free_port());

    const auto [output, status] =
        test::run_command(std::string(FRAMEBRIDGE_CPP_CLIENT_PROBE) + " --stream " + names[1] +
                          " " + std::to_string(server.port()) + " 0.1 0.5");

    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("{\"stream\": \"" + names[1] + "\", \"frames\": "), std::string::npos)
        << output;
    EXPECT_EQ(output.find("\"frames\": 0,"), std::string::npos) << output;
    EXPECT_NE(output.find("\"seq_mismatches\": 0}"), std::string::npos) << output;
}

TEST(ClientProcess, theCExamplePrintsFramesWithTheirLatency) {
    ServerProcess server(test::unique_stream_name(), test::free_port());

    const auto [output, status] = test::run_command(std::string(FRAMEBRIDGE_EXAMPLE_C) + " " +
                                                    std::to_string(server.port()) + " 5");

    EXPECT_EQ(status, 0);
    EXPECT_EQ(output.rfind("stream " + server.name() + "\n", 0), 0u) << output;
    EXPECT_EQ(frame_lines(output), 5) << output;
}

TEST(ClientProcess, theCAbiWorksFromAProgramWrittenInC) {
    const std::vector<std::string> names = two_stream_names();
    ServerProcess server(names, test::free_port());

    const auto [output, status] =
        test::run_command(std::string(FRAMEBRIDGE_C_ABI_TEST) + " " +
                          std::to_string(server.port()) + " " + names[1] + " 2>&1");

    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("c_api_test: passed"), std::string::npos) << output;
}
