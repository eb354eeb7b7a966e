// libFuzzer target: any bytes, sent by a client over a real connection to a live NotifyServer
// that asks for a token. Whatever the bytes, the server must close only that connection, give
// back every frame it leased to it, end any stream it published (out of the listing and out of
// /dev/shm), and go on serving; each input is checked for that.

#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/shm/monotonic_clock.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

using namespace framebridge;

namespace {

// Fixed, so a segment left by a crashed run is replaced by the next (its producer is dead).
constexpr const char* STREAM_NAME = "framebridge-session-fuzz";
// The corpus's hello_token seed carries it, so the fuzzer starts past the token check.
constexpr const char* TOKEN = "correct-horse";
constexpr std::uint32_t SLOTS = 3;

class LiveServer {
public:
    LiveServer()
        : ring_(shm::FrameRing::create(STREAM_NAME, SLOTS, geometry_.payload_size())),
          leases_(SLOTS),
          server_(io_, "127.0.0.1", 0, ring_, leases_, policy()) {
        spdlog::set_level(spdlog::level::off);
        publish(1);
        publish(2);
        server_.start();
        io_thread_ = std::thread([this] { io_.run(); });
    }

    ~LiveServer() {
        boost::asio::post(io_, [this] {
            server_.stop();
            work_.reset();
        });
        io_thread_.join();
    }

    LiveServer(const LiveServer&) = delete;
    LiveServer& operator=(const LiveServer&) = delete;

    std::uint16_t port() const { return server_.port(); }

    // The connection is gone: the server must have forgotten it and taken back its frames.
    void check_clean() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
        while (server_.sessions_open() != 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                die("a closed connection was still open in the server after 5 s");
            }
            std::this_thread::yield();
        }
        for (std::uint32_t slot = 0; slot < SLOTS; ++slot) {
            if (leases_.lease_count(slot) != 0) {
                die("a closed connection kept a lease on a slot");
            }
        }
        for (const app::StreamInfo& stream : server_.streams()) {
            if (stream.name != STREAM_NAME) {
                die("a closed connection's published stream is still listed");
            }
        }
    }

private:
    static app::SessionPolicy policy() {
        app::SessionPolicy p;
        p.token = TOKEN;
        // Any size a PUBLISH asks for would be made in /dev/shm; the fuzzer keeps to small ones.
        p.max_publish_bytes = 64 << 20;
        return p;
    }

    static void die(const char* what) {
        std::fprintf(stderr, "session fuzz: %s\n", what);
        std::abort();
    }

    void publish(std::uint64_t seq) {
        const auto slot = leases_.slot_to_write(framebridge::shm::monotonic_now_ns());
        ring_.begin_write(*slot);
        ring_.end_write(*slot, {seq, geometry_, seq, seq});
        leases_.publish(*slot, seq);
    }

    const shm::FrameGeometry geometry_{64, 16, shm::PixelFormat::Bgr8};
    shm::FrameRing ring_;
    shm::LeaseTable leases_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
        io_.get_executor()};
    app::NotifyServer server_;
    std::thread io_thread_;
};

// Sends the bytes, says no more, and reads whatever comes back until the server closes.
void converse(std::uint16_t port, const std::uint8_t* data, std::size_t size) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::fprintf(stderr, "session fuzz: the server no longer accepts connections\n");
        std::abort();
    }
    ::send(fd, data, size, MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    char sink[4096];
    while (::recv(fd, sink, sizeof sink, 0) > 0) {
    }
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static LiveServer server;
    converse(server.port(), data, size);
    server.check_clean();
    return 0;
}
