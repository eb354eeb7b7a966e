// framebridge-windows-e2e: the headless server on Windows, end to end, against a client that
// does what the Python SDK does there: it talks to the server over TCP and maps the segment
// exactly as CPython's mmap does (cpython_mmap.hpp). It starts the servers itself, from the
// folder it was started from, and checks in turn that
//   1. a client finds the stream by the name WELCOME gives and reads whole, stamped frames,
//      stamped with the clock Python's time.perf_counter_ns() reads (QueryPerformanceCounter);
//      a client publishes a stream through a writable mapping and another reads it back;
//   2. a second server on the same name is refused (exit code 2);
//   3. a server killed while its client still maps the segment is replaced by one that starts,
//      serves a new generation of the name, and tells new clients so in WELCOME;
//   4. Ctrl+Break stops a server cleanly (exit code 0) where console control events can be
//      sent (not under Wine: then SKIP), and once the last client lets go no mapping is left.
// Prints one line per check; exits 0 when all pass.

#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include "windows/cpython_mmap.hpp"

#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace protocol = framebridge::protocol;
namespace shm = framebridge::shm;
using framebridge::test::CPythonMmap;
using framebridge::test::mapping_is_visible;
using framebridge::test::MmapAccess;
using framebridge::test::widen;

namespace {

constexpr int FRAMES_TO_CHECK = 40;
constexpr std::uint64_t MAX_LATENCY_NS = 5'000'000'000;
constexpr DWORD SERVER_EXIT_WAIT_MS = 15000;
constexpr auto CONNECT_WAIT = std::chrono::seconds{30};

void check(bool condition, const std::string& what) {
    if (!condition) {
        throw std::runtime_error(what);
    }
}

void pass(const std::string& what) {
    std::printf("PASS %s\n", what.c_str());
    std::fflush(stdout);
}

// Nanoseconds of QueryPerformanceCounter, computed as CPython's time.perf_counter_ns() does.
std::uint64_t perf_counter_ns() {
    LARGE_INTEGER frequency;
    LARGE_INTEGER ticks;
    ::QueryPerformanceFrequency(&frequency);
    ::QueryPerformanceCounter(&ticks);
    const auto f = static_cast<std::uint64_t>(frequency.QuadPart);
    const auto t = static_cast<std::uint64_t>(ticks.QuadPart);
    return t / f * 1'000'000'000u + t % f * 1'000'000'000u / f;
}

std::wstring folder_of_this_program() {
    std::vector<wchar_t> path(MAX_PATH * 4);
    const DWORD length =
        ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    std::wstring full(path.data(), length);
    return full.substr(0, full.find_last_of(L"\\/") + 1);
}

class Winsock {
public:
    Winsock() {
        WSADATA data;
        check(::WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup failed");
    }
    ~Winsock() { ::WSACleanup(); }
    Winsock(const Winsock&) = delete;
    Winsock& operator=(const Winsock&) = delete;
};

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = ::htons(port);
    address.sin_addr.s_addr = ::htonl(INADDR_LOOPBACK);
    return address;
}

std::uint16_t free_port() {
    const SOCKET s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in address = loopback(0);
    int size = sizeof address;
    ::bind(s, reinterpret_cast<sockaddr*>(&address), size);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &size);
    ::closesocket(s);
    return ::ntohs(address.sin_port);
}

class ServerProcess {
public:
    ServerProcess(const std::string& name, std::uint16_t port) {
        std::wstring command = L"\"" + folder_of_this_program() + L"framebridge-server.exe\"" +
                               L" --source synthetic --size 320x240 --fps 120 --slots 3" +
                               L" --stats-every 0 --log-level warn --name " + widen(name) +
                               L" --port " + std::to_wstring(port);
        STARTUPINFOW startup{};
        startup.cb = sizeof startup;
        // Its own process group, so that Ctrl+Break can be sent to it alone.
        check(::CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE,
                               CREATE_NEW_PROCESS_GROUP, nullptr, nullptr, &startup, &info_) != 0,
              "cannot start framebridge-server.exe: error " + std::to_string(::GetLastError()));
        ::CloseHandle(info_.hThread);
    }
    ~ServerProcess() {
        if (!exit_code(0)) {
            ::TerminateProcess(info_.hProcess, 1);
            ::WaitForSingleObject(info_.hProcess, SERVER_EXIT_WAIT_MS);
        }
        ::CloseHandle(info_.hProcess);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    DWORD pid() const noexcept { return info_.dwProcessId; }

    /// @brief The exit code once the process has ended within `wait_ms`, else std::nullopt.
    std::optional<DWORD> exit_code(DWORD wait_ms) const {
        if (::WaitForSingleObject(info_.hProcess, wait_ms) != WAIT_OBJECT_0) {
            return std::nullopt;
        }
        DWORD code = 0;
        ::GetExitCodeProcess(info_.hProcess, &code);
        return code;
    }

    /// @brief Ends it at once, as a crash or Task Manager would.
    void kill() {
        ::TerminateProcess(info_.hProcess, 9);
        ::WaitForSingleObject(info_.hProcess, SERVER_EXIT_WAIT_MS);
    }

    bool send_ctrl_break() const {
        return ::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, info_.dwProcessId) != 0;
    }

private:
    PROCESS_INFORMATION info_{};
};

class Client {
public:
    explicit Client(std::uint16_t port) {
        const auto deadline = std::chrono::steady_clock::now() + CONNECT_WAIT;
        for (;;) {
            socket_ = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            sockaddr_in address = loopback(port);
            if (::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
                break;
            }
            ::closesocket(socket_);
            check(std::chrono::steady_clock::now() < deadline,
                  "no server on port " + std::to_string(port));
            std::this_thread::sleep_for(std::chrono::milliseconds{100});
        }
        const DWORD timeout_ms = 10000;
        ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeout_ms),
                     sizeof timeout_ms);
    }
    ~Client() { ::closesocket(socket_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void send(const protocol::Bytes& bytes) {
        const int sent = ::send(socket_, reinterpret_cast<const char*>(bytes.data()),
                                static_cast<int>(bytes.size()), 0);
        check(sent == static_cast<int>(bytes.size()), "send failed");
    }

    /// @brief The next message, or std::nullopt once the server has closed the connection.
    std::optional<std::pair<protocol::MessageHeader, protocol::Bytes>> receive() {
        protocol::Bytes header(protocol::HEADER_BYTES);
        if (!read_exact(header)) {
            return std::nullopt;
        }
        const auto parsed = protocol::parse_header(header.data(), protocol::Sender::Server);
        protocol::Bytes body(parsed.body_size);
        if (!read_exact(body)) {
            return std::nullopt;
        }
        return std::make_pair(parsed, body);
    }

    protocol::Welcome hello(const std::string& stream = "") {
        send(protocol::encode(protocol::Hello{protocol::HELLO_MAGIC, protocol::PROTOCOL_VERSION,
                                              static_cast<std::uint32_t>(::GetCurrentProcessId()),
                                              "windows-e2e", "", stream}));
        const auto message = receive();
        check(message && message->first.type == protocol::MessageType::Welcome, "no WELCOME");
        return protocol::parse_welcome(message->second);
    }

    /// @brief The body of the next message, which must be of `type`.
    protocol::Bytes expect(protocol::MessageType type, const std::string& what) {
        const auto message = receive();
        check(message && message->first.type == type, "no " + what);
        return message->second;
    }

    protocol::FrameMessage request(std::uint64_t after_seq) {
        send(protocol::encode(protocol::Request{after_seq}));
        for (;;) {
            const auto message = receive();
            check(message.has_value(), "the server closed the connection instead of a FRAME");
            if (message->first.type == protocol::MessageType::Frame) {
                return protocol::parse_frame(message->second);
            }
            check(message->first.type != protocol::MessageType::Error, "the server sent ERROR");
        }
    }

private:
    bool read_exact(protocol::Bytes& into) {
        std::size_t got = 0;
        while (got < into.size()) {
            const int n = ::recv(socket_, reinterpret_cast<char*>(into.data() + got),
                                 static_cast<int>(into.size() - got), 0);
            if (n <= 0) {
                return false;
            }
            got += static_cast<std::size_t>(n);
        }
        return true;
    }

    SOCKET socket_ = INVALID_SOCKET;
};

const shm::SegmentHeader& header_of(const CPythonMmap& mapping) {
    return *reinterpret_cast<const shm::SegmentHeader*>(mapping.data());
}

std::uint64_t u64_at(const std::byte* bytes) {
    std::uint64_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

// What the SDK checks before it trusts a mapping.
void check_mapping(const CPythonMmap& mapping, const protocol::SegmentDescription& welcome) {
    check(mapping.existed(), welcome.segment_name + " did not exist: mmap made an empty one");
    const shm::SegmentHeader& h = header_of(mapping);
    check(h.magic == shm::SEGMENT_MAGIC, "bad magic in " + welcome.segment_name);
    check(h.layout_version == welcome.layout_version, "layout version differs from WELCOME");
    check(h.session_id == welcome.session_id, "session id differs from WELCOME");
    check(h.segment_size == welcome.segment_size, "segment size differs from WELCOME");
    check(h.slot_count == welcome.slot_count, "slot count differs from WELCOME");
}

// Reads `count` frames the way the SDK does; returns the last sequence number.
std::uint64_t check_frames(Client& client, const CPythonMmap& mapping, int count) {
    const shm::SegmentHeader& h = header_of(mapping);
    std::uint64_t after = 0;
    for (int i = 0; i < count; ++i) {
        const protocol::FrameMessage frame = client.request(after);
        const std::uint64_t receive_ns = perf_counter_ns();
        check(frame.seq > after, "frame " + std::to_string(frame.seq) + " is not new");
        check(frame.slot < h.slot_count, "slot " + std::to_string(frame.slot) + " out of range");
        const auto& descriptor = *reinterpret_cast<const shm::SlotDescriptor*>(
            mapping.data() + h.descriptor_offset + h.descriptor_size * frame.slot);
        const std::byte* pixels = mapping.data() + h.data_offset + h.slot_capacity * frame.slot;
        const shm::FrameGeometry geometry{frame.width, frame.height,
                                          static_cast<shm::PixelFormat>(frame.pixel_format)};
        const std::uint64_t row_end =
            std::uint64_t{frame.height - 1} * frame.stride +
            std::uint64_t{frame.width} * shm::bytes_per_pixel(geometry.format);
        check(descriptor.sequence.load() == frame.seq, "slot descriptor holds another frame");
        check(u64_at(pixels) == frame.seq && u64_at(pixels + row_end - 8) == frame.seq,
              "frame " + std::to_string(frame.seq) + " is not stamped with its number");
        check(frame.publish_ns <= receive_ns && receive_ns - frame.publish_ns < MAX_LATENCY_NS,
              "publish_ns " + std::to_string(frame.publish_ns) + " is not on the clock of " +
                  "perf_counter_ns (" + std::to_string(receive_ns) + ")");
        check(descriptor.sequence.load() == frame.seq, "the frame was overwritten while held");
        client.send(protocol::encode(
            protocol::Release{frame.slot, frame.seq, receive_ns, perf_counter_ns()}));
        after = frame.seq;
    }
    return after;
}

// A client publishes frames through a writable mapping, as the SDK's publisher does, and
// another client reads them back pixel for pixel.
void check_publishing(std::uint16_t port, const std::string& name) {
    Client publisher(port);
    publisher.hello();
    const shm::FrameGeometry gray{32, 8, shm::PixelFormat::Gray8};
    publisher.send(protocol::encode(protocol::Publish{gray.width, gray.height, 2, 0, 0, name}));
    const protocol::Publishing publishing = protocol::parse_publishing(
        publisher.expect(protocol::MessageType::Publishing, "PUBLISHING"));
    check(publishing.segment_name == "Local\\" + name,
          "PUBLISHING names '" + publishing.segment_name + "'");
    const CPythonMmap mapping(publishing.segment_name, publishing.segment_size, MmapAccess::Write);
    check_mapping(mapping, publishing);

    Client reader(port);
    check(reader.hello(name).stream == name, "WELCOME names another stream");
    const CPythonMmap view(publishing.segment_name, publishing.segment_size);
    const shm::SegmentHeader& h = header_of(mapping);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        publisher.send(protocol::encode(protocol::Write{}));
        const std::uint32_t slot =
            protocol::parse_slot(publisher.expect(protocol::MessageType::Slot, "SLOT")).slot;
        std::memset(mapping.writable_data() + h.data_offset + h.slot_capacity * slot,
                    static_cast<int>(seq * 50), gray.payload_size());
        publisher.send(protocol::encode(protocol::Done{slot, 100 + seq, 0}));
        const protocol::FrameMessage frame = reader.request(seq - 1);
        check(frame.seq == seq && frame.source_seq == 100 + seq, "published frame out of order");
        const std::byte* pixels = view.data() + h.data_offset + h.slot_capacity * frame.slot;
        check(
            std::to_integer<int>(pixels[0]) == static_cast<int>(seq * 50) &&
                std::to_integer<int>(pixels[gray.payload_size() - 1]) == static_cast<int>(seq * 50),
            "the reader sees other pixels than the publisher wrote");
        reader.send(protocol::encode(protocol::Release{frame.slot, frame.seq, 0, 0}));
    }
}

void run() {
    const Winsock winsock;
    const std::string name = "fbw-" + std::to_string(::GetCurrentProcessId());
    const std::string generation_0 = "Local\\" + name;
    const std::string generation_1 = generation_0 + "@1";

    // 1. A client finds the stream and reads stamped frames.
    const std::uint16_t first_port = free_port();
    std::optional<ServerProcess> first(std::in_place, name, first_port);
    Client first_client(first_port);
    const protocol::Welcome first_welcome = first_client.hello();
    check(first_welcome.segment_name == generation_0,
          "WELCOME names '" + first_welcome.segment_name + "', not '" + generation_0 + "'");
    check(first_welcome.stream == name, "WELCOME names stream '" + first_welcome.stream + "'");
    const CPythonMmap first_mapping(first_welcome.segment_name, first_welcome.segment_size);
    check_mapping(first_mapping, first_welcome);
    const std::uint64_t last = check_frames(first_client, first_mapping, FRAMES_TO_CHECK);
    pass("a client maps " + generation_0 + " as CPython's mmap does and reads " +
         std::to_string(FRAMES_TO_CHECK) + " stamped frames (up to " + std::to_string(last) +
         "), timed on perf_counter_ns's clock");
    check_publishing(first_port, name + "-out");
    pass("a client publishes " + name + "-out through a writable mapping and another reads it");

    // 2. A second server on the same name is refused.
    {
        const ServerProcess second(name, free_port());
        const auto code = second.exit_code(SERVER_EXIT_WAIT_MS);
        check(code == 2u, "a second server on the name did not exit with code 2");
        pass("a second server on stream " + name + " is refused with exit code 2");
    }

    // 3. Killed while its client maps the segment; the next server takes a new generation.
    first->kill();
    check(!first_client.receive().has_value(), "the connection outlived the killed server");
    check(mapping_is_visible(generation_0), "the client's mapping went with the server");
    const std::uint16_t third_port = free_port();
    std::optional<ServerProcess> third(std::in_place, name, third_port);
    std::optional<Client> third_client(std::in_place, third_port);
    const protocol::Welcome third_welcome = third_client->hello();
    check(third_welcome.segment_name == generation_1,
          "WELCOME names '" + third_welcome.segment_name + "', not '" + generation_1 + "'");
    check(third_welcome.session_id != first_welcome.session_id, "the session id is the old one");
    check(header_of(first_mapping).session_id == first_welcome.session_id,
          "the old client's mapping changed under it");
    std::optional<CPythonMmap> third_mapping(std::in_place, third_welcome.segment_name,
                                             third_welcome.segment_size);
    check_mapping(*third_mapping, third_welcome);
    check_frames(*third_client, *third_mapping, FRAMES_TO_CHECK);
    pass("after a kill, with the old client still mapping " + generation_0 +
         ", a new server starts and serves " + generation_1 + " with a new session");

    // 4. Ctrl+Break stops the server cleanly; nothing is left once clients let go.
    if (third->send_ctrl_break()) {
        const auto code = third->exit_code(SERVER_EXIT_WAIT_MS);
        check(code.has_value(), "the server did not stop on Ctrl+Break");
        check(*code == 0,
              "the server stopped on Ctrl+Break with exit code " + std::to_string(*code));
        pass("Ctrl+Break stops the server with exit code 0");
    } else {
        // Wine 8 delivers no console control event to another process group.
        std::printf(
            "SKIP Ctrl+Break: GenerateConsoleCtrlEvent failed (error %lu), so the "
            "server is ended with TerminateProcess\n",
            ::GetLastError());
        third->kill();
    }
    third_mapping.reset();
    third_client.reset();
    check(!mapping_is_visible(generation_1), generation_1 + " outlived its server and clients");
    pass("no mapping is left once the server and its clients are gone");
}

}  // namespace

int main() {
    try {
        run();
    } catch (const std::exception& e) {
        std::printf("FAIL %s\n", e.what());
        return 1;
    }
    return 0;
}
