// consumer PORT: connects, and says which error class it met when there is no server.
#include <framebridge/client/client.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    framebridge::ConnectOptions options;
    options.port = static_cast<std::uint16_t>(argc > 1 ? std::stoi(argv[1]) : 7600);
    try {
        framebridge::Client client(options);
        std::printf("connected to stream %s\n", client.stream().c_str());
    } catch (const framebridge::ServerUnavailable& e) {
        std::printf("ServerUnavailable: %s\n", e.what());
    }
    return 0;
}
