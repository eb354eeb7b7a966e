// A server started with a token: who gets in, and what the others get (an ERROR, nothing else).
#include "app/server/notify_server_fixture.hpp"

#include "support/eventually.hpp"

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::NotifyServerTest;
using framebridge::test::TestClient;
namespace protocol = framebridge::protocol;

namespace {

constexpr const char* TOKEN = "open-sesame";

class GuardedServerTest : public NotifyServerTest {
protected:
    GuardedServerTest()
        : NotifyServerTest(quick_policy([](app::SessionPolicy& p) { p.token = TOKEN; })) {}

    // Says HELLO with `token`; the ERROR the server answers with, checked to be all it sent.
    protocol::ErrorMessage refused(const std::string& token) {
        TestClient client(sut.port());
        client.send(protocol::encode(protocol::Hello{
            protocol::HELLO_MAGIC, protocol::PROTOCOL_VERSION, 1, "intruder", token, ""}));
        const auto error = client.receive_error();
        EXPECT_TRUE(error) << "no ERROR (a WELCOME?) for token '" << token << "'";
        EXPECT_TRUE(client.closed_by_server()) << "more than the ERROR, or left open";
        return error.value_or(protocol::ErrorMessage{});
    }
};

}  // namespace

TEST_F(GuardedServerTest, theRightTokenIsWelcomed) {
    publish(1);
    TestClient client(sut.port());
    client.hello("friend", TOKEN);
    EXPECT_TRUE(client.request(0));
}

TEST_F(GuardedServerTest, aMissingTokenIsRefusedWithHowToGiveOne) {
    const protocol::ErrorMessage error = refused("");
    EXPECT_EQ(error.code, protocol::ErrorCode::AccessDenied);
    EXPECT_NE(error.text.find("token="), std::string::npos) << error.text;
    EXPECT_EQ(error.text.find(ring.name()), std::string::npos) << "names the segment";
}

TEST_F(GuardedServerTest, aWrongTokenIsRefused) {
    for (const std::string token : {"open-sesamE", "open", "open-sesame-please", "x"}) {
        const protocol::ErrorMessage error = refused(token);
        EXPECT_EQ(error.code, protocol::ErrorCode::AccessDenied) << token;
        EXPECT_EQ(error.text, "wrong token") << token;
    }
}

TEST_F(GuardedServerTest, refusalsAreCountedAndNeverShownAsClients) {
    refused("");
    refused("guess");
    ASSERT_TRUE(eventually([&] { return sut.sessions_open() == 0; }));
    EXPECT_EQ(sut.connection_stats().refused, 2u);
    EXPECT_EQ(sut.connection_stats().accepted, 2u);
    EXPECT_TRUE(sut.client_stats().empty());
    EXPECT_EQ(total_leases(), 0u);
}

TEST_F(NotifyServerTest, aServerWithoutATokenIgnoresOneSent) {
    TestClient client(sut.port());
    EXPECT_NO_THROW(client.hello("careful", "unneeded"));
}
