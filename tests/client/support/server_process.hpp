#pragma once
// One framebridge-server child process (POSIX): started on a free port, and always stopped.

#include "framebridge/shm/shared_segment.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace framebridge::test {

/// @brief A port nothing listens on right now.
inline std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

inline bool accepts_connections(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

class ServerProcess {
public:
    /// @brief Starts FRAMEBRIDGE_SERVER_PATH serving the synthetic source as `name` on `port`, and
    /// waits until it accepts connections.
    ServerProcess(std::string name, std::uint16_t port, const std::string& size = "320x240")
        : names_{std::move(name)}, port_(port) {
        start({"--name", names_.front(), "--size", size});
    }

    /// @brief The same with one 320x240 synthetic stream per name (`--stream NAME=synthetic`),
    /// the first name the server's first stream.
    ServerProcess(std::vector<std::string> names, std::uint16_t port)
        : names_(std::move(names)), port_(port) {
        std::vector<std::string> streams = {"--size", "320x240"};
        for (const std::string& name : names_) {
            streams.insert(streams.end(), {"--stream", name + "=synthetic"});
        }
        start(streams);
    }

    ~ServerProcess() {
        stop(SIGTERM);
        if (killed_) {
            for (const std::string& name : names_) {
                shm::SharedSegment::remove(name);  // what a killed server leaves behind
            }
        }
    }

    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// @brief Sends `signal` and waits for the process to end.
    void stop(int signal) {
        if (pid_ > 0) {
            ::kill(pid_, signal);
            killed_ = signal == SIGKILL;
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
    }

    std::uint16_t port() const noexcept { return port_; }
    const std::string& name() const noexcept { return names_.front(); }

private:
    void start(const std::vector<std::string>& streams) {
        std::vector<std::string> args = {
            FRAMEBRIDGE_SERVER_PATH, "--port", std::to_string(port_), "--fps", "100",
            "--stats-every",         "0",      "--log-level",         "warn"};
        args.insert(args.end(), streams.begin(), streams.end());
        std::vector<char*> argv;
        for (std::string& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
            throw std::runtime_error(std::string("cannot start ") + FRAMEBRIDGE_SERVER_PATH);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
        while (!accepts_connections(port_)) {
            if (std::chrono::steady_clock::now() > deadline) {
                stop(SIGKILL);
                throw std::runtime_error("framebridge-server did not listen on port " +
                                         std::to_string(port_));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        }
    }

    std::vector<std::string> names_;
    std::uint16_t port_;
    pid_t pid_ = -1;
    bool killed_ = false;
};

/// @brief Runs `command` through the shell; its standard output and exit status.
inline std::pair<std::string, int> run_command(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return {"", -1};
    }
    char chunk[4096];
    while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) {
        output.append(chunk, n);
    }
    const int status = ::pclose(pipe);
    return {output, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace framebridge::test
