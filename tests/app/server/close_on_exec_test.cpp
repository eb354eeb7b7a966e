#include "app/server/notify_server_fixture.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <filesystem>
#include <string>

using framebridge::test::NotifyServerTest;
using framebridge::test::TestClient;

namespace {

// Sockets of this process that a process it starts would inherit.
int inheritable_sockets() {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
        const int fd = std::stoi(entry.path().filename().string());
        const int flags = ::fcntl(fd, F_GETFD);
        if (!ec && target.rfind("socket:", 0) == 0 && flags >= 0 && (flags & FD_CLOEXEC) == 0) {
            ++count;
        }
    }
    return count;
}

}  // namespace

TEST_F(NotifyServerTest, neitherTheListenerNorAConnectionIsInheritedByAStartedProcess) {
    TestClient client(sut.port());
    client.hello();

    EXPECT_EQ(inheritable_sockets(), 1) << "only the test's own client socket";
}
