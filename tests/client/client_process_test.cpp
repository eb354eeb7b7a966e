// framebridge::Client, its examples and its C ABI against framebridge-server processes: a server
// killed with SIGKILL, a new one in its place, and programs that print frames.

#include "framebridge/client/client.hpp"

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

TEST(ClientProcess, theCppExamplePrintsFramesWithTheirLatency) {
    ServerProcess server(test::unique_stream_name(), test::free_port());

    const auto [output, status] = test::run_command(std::string(FRAMEBRIDGE_EXAMPLE_CPP) + " " +
                                                    std::to_string(server.port()) + " 5");

    EXPECT_EQ(status, 0);
    EXPECT_EQ(frame_lines(output), 5) << output;
}

TEST(ClientProcess, theCExamplePrintsFramesWithTheirLatency) {
    ServerProcess server(test::unique_stream_name(), test::free_port());

    const auto [output, status] = test::run_command(std::string(FRAMEBRIDGE_EXAMPLE_C) + " " +
                                                    std::to_string(server.port()) + " 5");

    EXPECT_EQ(status, 0);
    EXPECT_EQ(frame_lines(output), 5) << output;
}

TEST(ClientProcess, theCAbiWorksFromAProgramWrittenInC) {
    ServerProcess server(test::unique_stream_name(), test::free_port());

    const auto [output, status] = test::run_command(std::string(FRAMEBRIDGE_C_ABI_TEST) + " " +
                                                    std::to_string(server.port()) + " 2>&1");

    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("c_api_test: passed"), std::string::npos) << output;
}
